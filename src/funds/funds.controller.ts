import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @Authenticated('county_finance')
  @ApiCreatedResponse({ type: DedicatedAccountView })
  open(@CurrentActor() actor: Actor, @Body() dto: OpenDedicatedAccountDto): Promise<DedicatedAccountView> {
    return this.funds.openDedicatedAccount(actor, dto);
  }

  @Get()
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: [DedicatedAccountView] })
  list(@CurrentActor() actor: Actor): Promise<DedicatedAccountView[]> {
    return this.funds.listDedicated(actor);
  }

  @Get(':id')
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
  @Authenticated('county_finance')
  @ApiCreatedResponse({ type: AllocationView, description: 'Registered, and its receipt posted in both books' })
  register(@CurrentActor() actor: Actor, @Body() dto: RegisterAllocationDto): Promise<AllocationView> {
    return this.funds.registerAllocation(actor, dto);
  }

  @Get()
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: [AllocationView] })
  list(@CurrentActor() actor: Actor, @Query() q: AllocationQueryDto): Promise<AllocationView[]> {
    return this.funds.listAllocations(actor, q);
  }

  @Get(':id')
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: AllocationView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<AllocationView> {
    return this.funds.getAllocation(actor, id);
  }
}
