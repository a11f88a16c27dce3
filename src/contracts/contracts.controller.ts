import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../access/auth.decorators';
import { ROLES } from '../access/domain/roles';
import { Actor, CurrentActor } from '../common/context';
import { Idempotent, IdempotencyKey, IdempotentAnswer, RequestIdempotencyKey } from '../common/idempotency';
import { IdPipe } from '../common/ids';
import { ContractView, DraftContractDto } from './contracts.dto';
import { AcceptanceService, AcceptanceView, OpenAcceptanceDto, SignoffDto } from './acceptance.service';
import { ContractsService } from './contracts.service';
import { InspectionView, PayDto, PaymentView, RecordInspectionDto } from './payments.dto';
import { PaymentsService } from './payments.service';
import { RetentionMoveDto, RetentionMovementView, RetentionService, RetentionSummary } from './retention.service';

@ApiTags('contracts')
@Controller('api/v1')
export class ContractsController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly payments: PaymentsService,
    private readonly acceptances: AcceptanceService,
    private readonly retention: RetentionService,
  ) {}

  @Post('projects/:id/contracts')
  @ApiOperation({
    summary: 'Draft a contract for a project',
    description: 'Maker-checker: a different county_finance user signs it, which commits its amount.',
  })
  @Authenticated('county_finance')
  @ApiCreatedResponse({ type: ContractView, description: 'A draft; a different county_finance user signs it' })
  draft(@CurrentActor() actor: Actor, @Param('id', IdPipe) projectId: number, @Body() dto: DraftContractDto): Promise<ContractView> {
    return this.contracts.draft(actor, projectId, dto);
  }

  @Get('projects/:id/contracts')
  @ApiOperation({ summary: 'List a project’s contracts' })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: [ContractView] })
  list(@CurrentActor() actor: Actor, @Param('id', IdPipe) projectId: number): Promise<ContractView[]> {
    return this.contracts.listForProject(actor, projectId);
  }

  @Get('contracts/:id')
  @ApiOperation({ summary: 'Get a contract' })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: ContractView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ContractView> {
    return this.contracts.get(actor, id);
  }

  @Post('contracts/:id/sign')
  @ApiOperation({
    summary: 'Sign a draft contract',
    description: 'By a county_finance user other than the drafter (403 SAME_HAND); commits the amount against the project’s budget.',
  })
  @HttpCode(200)
  @Authenticated('county_finance')
  @ApiOkResponse({ type: ContractView })
  sign(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ContractView> {
    return this.contracts.sign(actor, id);
  }

  @Post('contracts/:id/inspections')
  @ApiOperation({ summary: 'Record an inspection of a contract’s work', description: 'A failed latest inspection blocks payments until a later one passes.' })
  @Authenticated('line_department', 'inspector')
  @ApiCreatedResponse({ type: InspectionView, description: 'A failed latest inspection blocks payments until a later one passes' })
  inspect(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: RecordInspectionDto): Promise<InspectionView> {
    return this.payments.inspect(actor, id, dto);
  }

  @Post('contracts/:id/payments')
  @ApiOperation({
    summary: 'Pay a stage of a contract',
    description:
      'Posts the payment with the retention withheld. Each gate refuses with its own code: a signed contract, the payee, the ' +
      'contract amount, the stage schedule, a passed latest inspection, acceptance before the final stage, the available ' +
      'budget.',
  })
  @Authenticated('county_finance')
  @Idempotent('pays nothing')
  @ApiCreatedResponse({ type: PaymentView, description: 'Posted with the retention withheld; refused by any gate with its own code' })
  pay(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: PayDto,
    @RequestIdempotencyKey() key: IdempotencyKey | undefined,
  ): Promise<IdempotentAnswer<PaymentView>> {
    return this.payments.pay(actor, id, dto, key);
  }

  @Post('projects/:id/acceptances')
  @ApiOperation({
    summary: 'Open the completion acceptance (驗收) of a project',
    description: 'On a signed contract; the departments whose sign-off it needs follow from the project’s category.',
  })
  @Authenticated('line_department', 'inspector')
  @ApiCreatedResponse({ type: AcceptanceView })
  openAcceptance(@CurrentActor() actor: Actor, @Param('id', IdPipe) projectId: number, @Body() dto: OpenAcceptanceDto): Promise<AcceptanceView> {
    return this.acceptances.open(actor, projectId, dto);
  }

  @Get('acceptances/:id')
  @ApiOperation({ summary: 'Get an acceptance with its sign-offs' })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: AcceptanceView })
  acceptance(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<AcceptanceView> {
    return this.acceptances.get(actor, id);
  }

  @Post('acceptances/:id/signoffs')
  @ApiOperation({ summary: 'Sign off an acceptance for one department', description: 'Passed when every required department signed pass; failed on any fail.' })
  @HttpCode(200)
  @Authenticated('county_finance', 'line_department', 'inspector')
  @ApiOkResponse({ type: AcceptanceView, description: 'Passed when every required department signed pass; failed on any fail' })
  signoff(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: SignoffDto): Promise<AcceptanceView> {
    return this.acceptances.signoff(actor, id, dto);
  }

  @Get('contracts/:id/retention')
  @ApiOperation({ summary: 'A contract’s retention (質保金): withheld, released, forfeited and held' })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: RetentionSummary })
  retentionSummary(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<RetentionSummary> {
    return this.retention.summary(actor, id);
  }

  @Post('contracts/:id/retention/release')
  @ApiOperation({ summary: 'Propose releasing retention to the payee', description: 'Posted only when a different county_finance user approves it.' })
  @Authenticated('county_finance')
  @ApiCreatedResponse({ type: RetentionMovementView, description: 'Proposed; posted when a different county_finance user approves' })
  release(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: RetentionMoveDto): Promise<RetentionMovementView> {
    return this.retention.propose(actor, id, 'release', dto);
  }

  @Post('contracts/:id/retention/forfeit')
  @ApiOperation({ summary: 'Propose forfeiting retention', description: 'Posted only when a different county_finance user approves it.' })
  @Authenticated('county_finance')
  @ApiCreatedResponse({ type: RetentionMovementView, description: 'Proposed; posted when a different county_finance user approves' })
  forfeit(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: RetentionMoveDto): Promise<RetentionMovementView> {
    return this.retention.propose(actor, id, 'forfeit', dto);
  }

  @Post('retention-movements/:id/approve')
  @ApiOperation({ summary: 'Approve a retention movement and post it', description: 'By a county_finance user other than the proposer (403 SAME_HAND).' })
  @HttpCode(200)
  @Authenticated('county_finance')
  @ApiOkResponse({ type: RetentionMovementView })
  approveRetention(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<RetentionMovementView> {
    return this.retention.approve(actor, id);
  }

  @Post('contracts/:id/settle')
  @ApiOperation({ summary: 'Settle a contract', description: 'Refused while retention is held; the unpaid commitment returns to the project.' })
  @HttpCode(200)
  @Authenticated('county_finance')
  @ApiOkResponse({ type: RetentionSummary, description: 'Refused while retention is held; unpaid commitment returns to the project' })
  settle(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<RetentionSummary> {
    return this.retention.settle(actor, id);
  }
}
