import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated } from '../access/auth.decorators';
import { ROLES } from '../access/domain/roles';
import { Actor, CurrentActor } from '../common/context';
import { idempotencyKey } from '../common/idempotency';
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
  @Authenticated('county_finance')
  @ApiCreatedResponse({ type: ContractView, description: 'A draft; a different county_finance user signs it' })
  draft(@CurrentActor() actor: Actor, @Param('id', IdPipe) projectId: number, @Body() dto: DraftContractDto): Promise<ContractView> {
    return this.contracts.draft(actor, projectId, dto);
  }

  @Get('projects/:id/contracts')
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: [ContractView] })
  list(@CurrentActor() actor: Actor, @Param('id', IdPipe) projectId: number): Promise<ContractView[]> {
    return this.contracts.listForProject(actor, projectId);
  }

  @Get('contracts/:id')
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: ContractView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ContractView> {
    return this.contracts.get(actor, id);
  }

  @Post('contracts/:id/sign')
  @HttpCode(200)
  @Authenticated('county_finance')
  @ApiOkResponse({ type: ContractView })
  sign(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ContractView> {
    return this.contracts.sign(actor, id);
  }

  @Post('contracts/:id/inspections')
  @Authenticated('line_department', 'inspector')
  @ApiCreatedResponse({ type: InspectionView, description: 'A failed latest inspection blocks payments until a later one passes' })
  inspect(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: RecordInspectionDto): Promise<InspectionView> {
    return this.payments.inspect(actor, id, dto);
  }

  @Post('contracts/:id/payments')
  @Authenticated('county_finance')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A replay with the same body returns the first answer and pays nothing' })
  @ApiCreatedResponse({ type: PaymentView, description: 'Posted with the retention withheld; refused by any gate with its own code' })
  async pay(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: PayDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PaymentView> {
    const { value, replayed } = await this.payments.pay(actor, id, dto, idempotencyKey(key));
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return value;
  }

  @Post('projects/:id/acceptances')
  @Authenticated('line_department', 'inspector')
  @ApiCreatedResponse({ type: AcceptanceView })
  openAcceptance(@CurrentActor() actor: Actor, @Param('id', IdPipe) projectId: number, @Body() dto: OpenAcceptanceDto): Promise<AcceptanceView> {
    return this.acceptances.open(actor, projectId, dto);
  }

  @Get('acceptances/:id')
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: AcceptanceView })
  acceptance(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<AcceptanceView> {
    return this.acceptances.get(actor, id);
  }

  @Post('acceptances/:id/signoffs')
  @HttpCode(200)
  @Authenticated('county_finance', 'line_department', 'inspector')
  @ApiOkResponse({ type: AcceptanceView, description: 'Passed when every required department signed pass; failed on any fail' })
  signoff(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: SignoffDto): Promise<AcceptanceView> {
    return this.acceptances.signoff(actor, id, dto);
  }

  @Get('contracts/:id/retention')
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: RetentionSummary })
  retentionSummary(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<RetentionSummary> {
    return this.retention.summary(actor, id);
  }

  @Post('contracts/:id/retention/release')
  @Authenticated('county_finance')
  @ApiCreatedResponse({ type: RetentionMovementView, description: 'Proposed; posted when a different county_finance user approves' })
  release(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: RetentionMoveDto): Promise<RetentionMovementView> {
    return this.retention.propose(actor, id, 'release', dto);
  }

  @Post('contracts/:id/retention/forfeit')
  @Authenticated('county_finance')
  @ApiCreatedResponse({ type: RetentionMovementView, description: 'Proposed; posted when a different county_finance user approves' })
  forfeit(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: RetentionMoveDto): Promise<RetentionMovementView> {
    return this.retention.propose(actor, id, 'forfeit', dto);
  }

  @Post('retention-movements/:id/approve')
  @HttpCode(200)
  @Authenticated('county_finance')
  @ApiOkResponse({ type: RetentionMovementView })
  approveRetention(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<RetentionMovementView> {
    return this.retention.approve(actor, id);
  }

  @Post('contracts/:id/settle')
  @HttpCode(200)
  @Authenticated('county_finance')
  @ApiOkResponse({ type: RetentionSummary, description: 'Refused while retention is held; unpaid commitment returns to the project' })
  settle(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<RetentionSummary> {
    return this.retention.settle(actor, id);
  }
}
