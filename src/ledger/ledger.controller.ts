import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../access/auth.decorators';
import { Actor, CurrentActor } from '../common/context';
import { AccountQueryDto, OpenAccountDto, StatementQueryDto, TrialBalanceQueryDto } from './dto/ledger.dto';
import { AccountView, StatementView, TransactionView, TrialBalanceView } from './dto/ledger.views';
import { LedgerPostingService } from './ledger-posting.service';
import { LedgerReadingService } from './ledger-reading.service';

/** Who reads the county's books: its finance bureau, its leaders and its auditors. */
export const LEDGER_READERS = ['county_finance', 'county_leader', 'auditor'] as const;

@ApiTags('ledger')
@Controller('api/v1/ledger')
export class LedgerController {
  constructor(
    private readonly posting: LedgerPostingService,
    private readonly reading: LedgerReadingService,
  ) {}

  @Post('accounts')
  @ApiOperation({
    summary: 'Open a ledger account',
    description: 'The code is unique in the county; an account is never deleted, and its code, book and type never change.',
  })
  @Authenticated('county_finance')
  @ApiCreatedResponse({ type: AccountView })
  async openAccount(@CurrentActor() actor: Actor, @Body() dto: OpenAccountDto): Promise<AccountView> {
    return this.posting.openManual(actor, dto);
  }

  @Get('accounts')
  @ApiOperation({
    summary: 'List the county’s accounts',
    description: 'In code order with their balances, filtered by book, type and code prefix; pages by `afterCode` (the last code of the previous page).',
  })
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: [AccountView] })
  listAccounts(@CurrentActor() actor: Actor, @Query() q: AccountQueryDto): Promise<AccountView[]> {
    return this.reading.listAccounts(actor, q);
  }

  @Get('accounts/:code')
  @ApiOperation({ summary: 'Get an account with its balance' })
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: AccountView })
  getAccount(@CurrentActor() actor: Actor, @Param('code') code: string): Promise<AccountView> {
    return this.reading.getAccount(actor, code);
  }

  @Get('accounts/:code/statement')
  @ApiOperation({
    summary: 'An account’s statement',
    description: 'Its lines in the order they moved the balance, each with the balance after it; pages by `cursor`.',
  })
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: StatementView })
  statement(@CurrentActor() actor: Actor, @Param('code') code: string, @Query() q: StatementQueryDto): Promise<StatementView> {
    return this.reading.statement(actor, code, q);
  }

  @Get('transactions/:id')
  @ApiOperation({ summary: 'Get a posted transaction with its lines' })
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: TransactionView })
  getTransaction(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<TransactionView> {
    return this.reading.getTransaction(actor, id);
  }

  @Get('trial-balance')
  @ApiOperation({
    summary: 'Trial balance of the county’s books',
    description: 'Debit and credit per account with each book’s totals, as of the end of `asOf` (default now).',
  })
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: TrialBalanceView })
  trialBalance(@CurrentActor() actor: Actor, @Query() q: TrialBalanceQueryDto): Promise<TrialBalanceView> {
    return this.reading.trialBalance(actor, q);
  }
}
