import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../access/auth.decorators';
import { Actor, CurrentActor } from '../common/context';
import { IdPipe } from '../common/ids';
import { LEDGER_READERS } from '../ledger/ledger.controller';
import { AllocationQueryDto, AllocationView, DedicatedAccountView, OpenDedicatedAccountDto, RegisterAllocationDto } from './funds.dto';
import { FundsService } from './funds.service';

@ApiTags('funds')
@Controller('api/v1/dedicated-accounts')
export class DedicatedAccountsController {
  constructor(private readonly funds: FundsService) {}

  @Post()
  @ApiOperation({
    summary: 'Open a dedicated account (專戶)',
    description: 'Opens its ledger account too; money leaves a dedicated account only by a payment.',
  })
  @Authenticated('county_finance')
  @ApiCreatedResponse({ type: DedicatedAccountView })
  open(@CurrentActor() actor: Actor, @Body() dto: OpenDedicatedAccountDto): Promise<DedicatedAccountView> {
    return this.funds.openDedicatedAccount(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List dedicated accounts' })
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: [DedicatedAccountView] })
  list(@CurrentActor() actor: Actor): Promise<DedicatedAccountView[]> {
    return this.funds.listDedicated(actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a dedicated account' })
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: DedicatedAccountView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<DedicatedAccountView> {
    return this.funds.getDedicated(actor, id);
  }
}

@ApiTags('funds')
@Controller('api/v1/fund-allocations')
export class FundAllocationsController {
  constructor(private readonly funds: FundsService) {}

  @Post()
  @ApiOperation({
    summary: 'Register a fund allocation',
    description: 'Records the allocation document and posts its receipt in the financial and the budget book at once.',
  })
  @Authenticated('county_finance')
  @ApiCreatedResponse({ type: AllocationView, description: 'Registered, and its receipt posted in both books' })
  register(@CurrentActor() actor: Actor, @Body() dto: RegisterAllocationDto): Promise<AllocationView> {
    return this.funds.registerAllocation(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List fund allocations' })
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: [AllocationView] })
  list(@CurrentActor() actor: Actor, @Query() q: AllocationQueryDto): Promise<AllocationView[]> {
    return this.funds.listAllocations(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a fund allocation' })
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: AllocationView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<AllocationView> {
    return this.funds.getAllocation(actor, id);
  }
}
