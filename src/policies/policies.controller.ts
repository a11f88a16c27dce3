import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../access/auth.decorators';
import { ROLES } from '../access/domain/roles';
import { Actor, CurrentActor } from '../common/context';
import { IdPipe } from '../common/ids';
import { PolicyChangeView, PolicyQueryDto, PolicyValueView, PolicyView, ProposePolicyDto } from './policies.dto';
import { PoliciesService } from './policies.service';

@ApiTags('policies')
@ApiExtraModels(PolicyValueView)
@Controller('api/v1/policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get()
  @ApiOperation({
    summary: 'The policy values in force',
    description: 'Each value as of `asOf` (default today): the latest approved change effective by then, or the default.',
  })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: PolicyView })
  inForce(@CurrentActor() actor: Actor, @Query() q: PolicyQueryDto): Promise<PolicyView> {
    return this.policies.get(actor, q.asOf);
  }

  @Get('changes')
  @ApiOperation({ summary: 'List policy changes' })
  @Authenticated('county_finance', 'county_leader', 'auditor')
  @ApiOkResponse({ type: [PolicyChangeView] })
  list(@CurrentActor() actor: Actor): Promise<PolicyChangeView[]> {
    return this.policies.list(actor);
  }

  @Post('changes')
  @ApiOperation({ summary: 'Propose a policy change', description: 'It takes effect from its date only once a different person approves it.' })
  @Authenticated('county_finance')
  @ApiCreatedResponse({ type: PolicyChangeView, description: 'A proposal; a different person approves it' })
  propose(@CurrentActor() actor: Actor, @Body() dto: ProposePolicyDto): Promise<PolicyChangeView> {
    return this.policies.propose(actor, dto);
  }

  @Post('changes/:id/approve')
  @ApiOperation({ summary: 'Approve a policy change', description: 'A county_finance or county_leader user who did not propose it (403 SAME_HAND).' })
  @HttpCode(200)
  @Authenticated('county_finance', 'county_leader')
  @ApiOkResponse({ type: PolicyChangeView })
  approve(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<PolicyChangeView> {
    return this.policies.approve(actor, id);
  }
}
