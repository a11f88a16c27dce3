import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../access/auth.decorators';
import { ROLES } from '../access/domain/roles';
import { Actor, CurrentActor } from '../common/context';
import { Idempotent, IdempotencyKey, IdempotentAnswer, RequestIdempotencyKey } from '../common/idempotency';
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
  @ApiOperation({ summary: 'Propose a project', description: 'By a village user, for their own village.' })
  @Authenticated('village')
  @ApiCreatedResponse({ type: ProjectView })
  propose(@CurrentActor() actor: Actor, @Body() dto: ProposeProjectDto): Promise<ProjectView> {
    return this.projects.propose(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List projects', description: 'Township and village users see the projects of their own subtree only.' })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: [ProjectView] })
  list(@CurrentActor() actor: Actor, @Query() q: ProjectQueryDto): Promise<ProjectView[]> {
    return this.projects.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a project with its history' })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: ProjectDetailView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ProjectDetailView> {
    return this.projects.get(actor, id);
  }

  @Post(':id/review')
  @ApiOperation({ summary: 'Township review of a proposed project', description: 'By township_finance: proposed → township_reviewed.' })
  @HttpCode(200)
  @Authenticated(...rolesOf('review'))
  @ApiOkResponse({ type: ProjectView })
  review(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: TransitionDto): Promise<ProjectView> {
    return this.projects.transition(actor, id, 'review', dto.reason);
  }

  @Post(':id/enter-library')
  @ApiOperation({ summary: 'Enter a reviewed project into the project library (入庫)', description: 'By line_department: township_reviewed → in_library.' })
  @HttpCode(200)
  @Authenticated(...rolesOf('enter-library'))
  @ApiOkResponse({ type: ProjectView })
  enterLibrary(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: TransitionDto): Promise<ProjectView> {
    return this.projects.transition(actor, id, 'enter-library', dto.reason);
  }

  @Post(':id/reject')
  @ApiOperation({ summary: 'Reject a proposed or reviewed project', description: 'By township_finance or line_department, with a reason.' })
  @HttpCode(200)
  @Authenticated(...rolesOf('reject'))
  @ApiOkResponse({ type: ProjectView })
  reject(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: TransitionDto): Promise<ProjectView> {
    return this.projects.transition(actor, id, 'reject', dto.reason);
  }

  @Post(':id/budget-lines')
  @ApiOperation({
    summary: 'Allocate money to a project (a budget line)',
    description:
      'Posted at once while the project’s total from that allocation stays within the policy’s leader threshold; above it the ' +
      'line waits for a county leader’s signature. Only projects in the library or planned.',
  })
  @Authenticated('county_finance')
  @Idempotent('allocates nothing')
  @ApiCreatedResponse({ type: BudgetLineView, description: 'Posted at once up to the leader threshold; above it, awaiting_signature' })
  proposeLine(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: ProposeBudgetLineDto,
    @RequestIdempotencyKey() key: IdempotencyKey | undefined,
  ): Promise<IdempotentAnswer<BudgetLineView>> {
    return this.budget.propose(actor, id, dto, key);
  }

  @Get(':id/budget-lines')
  @ApiOperation({ summary: 'List a project’s budget lines' })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: [BudgetLineView] })
  lines(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<BudgetLineView[]> {
    return this.budget.list(actor, id);
  }

  @Post(':id/budget-lines/:lineId/sign')
  @ApiOperation({ summary: 'Sign a budget line above the leader threshold', description: 'By a county leader who did not propose it; the line posts.' })
  @HttpCode(200)
  @Authenticated('county_leader')
  @ApiOkResponse({ type: BudgetLineView })
  sign(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Param('lineId', IdPipe) lineId: number): Promise<BudgetLineView> {
    return this.budget.sign(actor, id, lineId);
  }
}
