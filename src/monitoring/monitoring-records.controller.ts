import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../access/auth.decorators';
import { Actor, CurrentActor } from '../common/context';
import { IdPipe } from '../common/ids';
import { InspectionsService } from './inspections.service';
import { INSPECTION_READERS, INSPECTORS, REGISTER_READERS } from './monitoring-roles';
import {
  InspectionFindingDto,
  InspectionFindingView,
  InspectionPlanDto,
  InspectionPlanView,
  RelatedPartyDto,
  RelatedPartyView,
  RemoveRelatedPartyDto,
} from './monitoring.dto';
import { RelatedPartiesService } from './related-parties.service';

/** The monitoring system's own records: the register of officials and relatives, and joint inspections. */
@ApiTags('monitoring')
@Controller('api/v1/monitoring')
export class MonitoringRecordsController {
  constructor(
    private readonly register: RelatedPartiesService,
    private readonly inspections: InspectionsService,
  ) {}

  @Post('related-parties')
  @ApiOperation({
    summary: 'Declare an official or a relative',
    description: 'With an ID number or a bank account, checked to their formats: a name alone matches no one.',
  })
  @Authenticated('admin')
  @ApiCreatedResponse({ type: RelatedPartyView })
  addParty(@CurrentActor() actor: Actor, @Body() dto: RelatedPartyDto): Promise<RelatedPartyView> {
    return this.register.add(actor, dto);
  }

  @Get('related-parties')
  @ApiOperation({ summary: 'The register of officials and their relatives' })
  @Authenticated(...REGISTER_READERS)
  @ApiOkResponse({ type: [RelatedPartyView] })
  parties(@CurrentActor() actor: Actor): Promise<RelatedPartyView[]> {
    return this.register.list(actor);
  }

  @Post('related-parties/:id/remove')
  @ApiOperation({ summary: 'Remove an entry from the register', description: 'Kept with who removed it and why; never deleted.' })
  @HttpCode(200)
  @Authenticated('admin')
  @ApiOkResponse({ type: RelatedPartyView })
  removeParty(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: RemoveRelatedPartyDto): Promise<RelatedPartyView> {
    return this.register.remove(actor, id, dto.reason);
  }

  @Post('inspections')
  @ApiOperation({
    summary: 'Plan a joint inspection (聯合檢查組)',
    description: 'Departments, projects named by hand, and a random pick from the projects under way whose seed and pool are kept so it can be drawn again.',
  })
  @Authenticated(...INSPECTORS)
  @ApiCreatedResponse({ type: InspectionPlanView })
  plan(@CurrentActor() actor: Actor, @Body() dto: InspectionPlanDto): Promise<InspectionPlanView> {
    return this.inspections.plan(actor, dto);
  }

  @Get('inspections')
  @ApiOperation({ summary: 'Inspection plans, newest first (the last 100)' })
  @Authenticated(...INSPECTION_READERS)
  @ApiOkResponse({ type: [InspectionPlanView] })
  plans(@CurrentActor() actor: Actor): Promise<InspectionPlanView[]> {
    return this.inspections.list(actor);
  }

  @Get('inspections/:id')
  @ApiOperation({
    summary: 'One inspection plan',
    description: 'With its projects, findings, and whether drawing again from its seed gives the same projects.',
  })
  @Authenticated(...INSPECTION_READERS)
  @ApiOkResponse({ type: InspectionPlanView })
  inspection(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<InspectionPlanView> {
    return this.inspections.get(actor, id);
  }

  @Post('inspections/:id/findings')
  @ApiOperation({
    summary: 'Record a finding on a project of the plan',
    description: 'Linked to the alert it confirms, or opening an alert of its own (detector M00).',
  })
  @Authenticated(...INSPECTORS)
  @ApiCreatedResponse({ type: InspectionFindingView })
  finding(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: InspectionFindingDto): Promise<InspectionFindingView> {
    return this.inspections.recordFinding(actor, id, dto);
  }
}
