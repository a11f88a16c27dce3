import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, CurrentActor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import {
  OpenAccountDto,
  PostTransactionDto,
  ReverseTransactionDto,
  StatementQueryDto,
  TrialBalanceQueryDto,
} from './dto/ledger.dto';
import { AccountView, StatementView, TransactionView, TrialBalanceView } from './dto/ledger.views';
import { LedgerService } from './ledger.service';

@ApiTags('ledger')
@Controller('api/v1/ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Post('accounts')
  @ApiCreatedResponse({ type: AccountView })
  openAccount(@CurrentActor() actor: Actor, @Body() dto: OpenAccountDto): Promise<AccountView> {
    return this.ledger.openAccount(actor, dto);
  }

  @Get('accounts/:code')
  @ApiOkResponse({ type: AccountView })
  getAccount(@CurrentActor() actor: Actor, @Param('code') code: string): Promise<AccountView> {
    return this.ledger.getAccount(actor, code);
  }

  @Get('accounts/:code/statement')
  @ApiOkResponse({ type: StatementView })
  statement(@CurrentActor() actor: Actor, @Param('code') code: string, @Query() q: StatementQueryDto): Promise<StatementView> {
    return this.ledger.statement(actor, code, q);
  }

  @Post('transactions')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A replay with the same body returns the first answer' })
  @ApiCreatedResponse({ type: TransactionView })
  async post(
    @CurrentActor() actor: Actor,
    @Body() dto: PostTransactionDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TransactionView> {
    const { transaction, replayed } = await this.ledger.post(actor, dto, idempotencyKey(key));
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return transaction;
  }

  @Get('transactions/:id')
  @ApiOkResponse({ type: TransactionView })
  getTransaction(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<TransactionView> {
    return this.ledger.getTransaction(actor, id);
  }

  @Post('transactions/:id/reversal')
  @HttpCode(201)
  @ApiCreatedResponse({ type: TransactionView })
  reverse(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ReverseTransactionDto): Promise<TransactionView> {
    return this.ledger.reverse(actor, id, dto.reason, dto.effectiveDate);
  }

  @Get('trial-balance')
  @ApiOkResponse({ type: TrialBalanceView })
  trialBalance(@CurrentActor() actor: Actor, @Query() q: TrialBalanceQueryDto): Promise<TrialBalanceView> {
    return this.ledger.trialBalance(actor, q);
  }
}

function idempotencyKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(raw)) {
    throw new DomainError(ErrorCode.ValidationFailed, 'Idempotency-Key must be 1-200 visible ASCII characters', {
      fields: [{ field: 'Idempotency-Key', message: 'must be 1-200 visible ASCII characters' }],
    });
  }
  return raw;
}
