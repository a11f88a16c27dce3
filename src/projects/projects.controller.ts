import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated } from '../access/auth.decorators';
import { ROLES } from '../access/domain/roles';
import { Actor, CurrentActor } from '../common/context';
import { idempotencyKey } from '../common/idempotency';
import { IdPipe } from '../common/ids';
import { BudgetService } from './budget.service';
import { TRANSITIONS } from './domain/lifecycle';
import { BudgetLineView, ProjectDetailView, ProjectQueryDto, ProjectView, ProposeBudgetLineDto, ProposeProjectDto, TransitionDto } from './projects.dto';
import { ProjectsService } from './projects.service';

const rolesOf = (action: string) => TRANSITIONS.find((t) => t.action === action)!.roles;

@ApiTags('projects')
@Controller('api/v1/projects')
export class ProjectsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly budget: BudgetService,
  ) {}

  @Post()
  @Authenticated('village')
  @ApiCreatedResponse({ type: ProjectView })
  propose(@CurrentActor() actor: Actor, @Body() dto: ProposeProjectDto): Promise<ProjectView> {
    return this.projects.propose(actor, dto);
  }

  @Get()
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: [ProjectView] })
  list(@CurrentActor() actor: Actor, @Query() q: ProjectQueryDto): Promise<ProjectView[]> {
    return this.projects.list(actor, q);
  }

  @Get(':id')
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: ProjectDetailView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ProjectDetailView> {
    return this.projects.get(actor, id);
  }

  @Post(':id/review')
  @HttpCode(200)
  @Authenticated(...rolesOf('review'))
  @ApiOkResponse({ type: ProjectView })
  review(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: TransitionDto): Promise<ProjectView> {
    return this.projects.transition(actor, id, 'review', dto.reason);
  }

  @Post(':id/enter-library')
  @HttpCode(200)
  @Authenticated(...rolesOf('enter-library'))
  @ApiOkResponse({ type: ProjectView })
  enterLibrary(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: TransitionDto): Promise<ProjectView> {
    return this.projects.transition(actor, id, 'enter-library', dto.reason);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Authenticated(...rolesOf('reject'))
  @ApiOkResponse({ type: ProjectView })
  reject(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: TransitionDto): Promise<ProjectView> {
    return this.projects.transition(actor, id, 'reject', dto.reason);
  }

  @Post(':id/budget-lines')
  @Authenticated('county_finance')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A replay with the same body returns the first answer and allocates nothing' })
  @ApiCreatedResponse({ type: BudgetLineView, description: 'Posted at once up to the leader threshold; above it, awaiting_signature' })
  async proposeLine(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: ProposeBudgetLineDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BudgetLineView> {
    const { value, replayed } = await this.budget.propose(actor, id, dto, idempotencyKey(key));
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return value;
  }

  @Get(':id/budget-lines')
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: [BudgetLineView] })
  lines(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<BudgetLineView[]> {
    return this.budget.list(actor, id);
  }

  @Post(':id/budget-lines/:lineId/sign')
  @HttpCode(200)
  @Authenticated('county_leader')
  @ApiOkResponse({ type: BudgetLineView })
  sign(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Param('lineId', IdPipe) lineId: number): Promise<BudgetLineView> {
    return this.budget.sign(actor, id, lineId);
  }
}
