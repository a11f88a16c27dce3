import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../access/auth.decorators';
import { ROLES } from '../access/domain/roles';
import { Actor, CurrentActor } from '../common/context';
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
  @ApiCreatedResponse({ type: BudgetLineView, description: 'Posted at once up to the leader threshold; above it, awaiting_signature' })
  proposeLine(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: ProposeBudgetLineDto): Promise<BudgetLineView> {
    return this.budget.propose(actor, id, dto);
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
