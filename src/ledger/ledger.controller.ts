import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../access/auth.decorators';
import { Actor, CurrentActor } from '../common/context';
import { OpenAccountDto, StatementQueryDto, TrialBalanceQueryDto } from './dto/ledger.dto';
import { AccountView, StatementView, TransactionView, TrialBalanceView } from './dto/ledger.views';
import { LedgerService } from './ledger.service';

/** Who reads the county's books: its finance bureau, its leaders and its auditors. */
export const LEDGER_READERS = ['county_finance', 'county_leader', 'auditor'] as const;

@ApiTags('ledger')
@Controller('api/v1/ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Post('accounts')
  @Authenticated('county_finance')
  @ApiCreatedResponse({ type: AccountView })
  async openAccount(@CurrentActor() actor: Actor, @Body() dto: OpenAccountDto): Promise<AccountView> {
    return (await this.ledger.openAccount(actor, dto))!;
  }

  @Get('accounts/:code')
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: AccountView })
  getAccount(@CurrentActor() actor: Actor, @Param('code') code: string): Promise<AccountView> {
    return this.ledger.getAccount(actor, code);
  }

  @Get('accounts/:code/statement')
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: StatementView })
  statement(@CurrentActor() actor: Actor, @Param('code') code: string, @Query() q: StatementQueryDto): Promise<StatementView> {
    return this.ledger.statement(actor, code, q);
  }

  @Get('transactions/:id')
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: TransactionView })
  getTransaction(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<TransactionView> {
    return this.ledger.getTransaction(actor, id);
  }

  @Get('trial-balance')
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: TrialBalanceView })
  trialBalance(@CurrentActor() actor: Actor, @Query() q: TrialBalanceQueryDto): Promise<TrialBalanceView> {
    return this.ledger.trialBalance(actor, q);
  }
}
