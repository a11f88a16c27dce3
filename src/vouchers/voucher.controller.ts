import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../access/auth.decorators';
import { Actor, CurrentActor } from '../common/context';
import { Idempotent, IdempotencyKey, IdempotentAnswer, RequestIdempotencyKey } from '../common/idempotency';
import { PostTransactionDto, ReverseTransactionDto } from '../ledger/dto/ledger.dto';
import { TransactionView } from '../ledger/dto/ledger.views';
import { LEDGER_READERS } from '../ledger/ledger.controller';
import { VoucherService } from './voucher.service';
import { VoucherQueryDto } from './voucher.dto';
import { VoucherListItemView, VoucherView } from './voucher.views';

@ApiTags('ledger')
@Controller('api/v1/ledger')
export class VoucherController {
  constructor(private readonly vouchers: VoucherService) {}

  @Post('transactions')
  @ApiOperation({
    summary: 'Draft a manual ledger entry (a voucher)',
    description:
      'Maker-checker: this only drafts; a different county_finance user approves the voucher (`POST ' +
      '/api/v1/ledger/transactions/{voucherId}/approve`), and only then is it posted. The lines must balance in each book.',
  })
  @Authenticated('county_finance')
  @Idempotent('drafts no second voucher (the answer is the draft as it was; `GET …/vouchers/{id}` shows it now)')
  @ApiCreatedResponse({ type: VoucherView, description: 'A draft; a different county_finance user approves it to post it' })
  draft(
    @CurrentActor() actor: Actor,
    @Body() dto: PostTransactionDto,
    @RequestIdempotencyKey() key: IdempotencyKey | undefined,
  ): Promise<IdempotentAnswer<VoucherView>> {
    return this.vouchers.draftPosting(actor, dto, key);
  }

  @Post('transactions/:id/reversal')
  @ApiOperation({
    summary: 'Draft the reversal (紅字沖銷) of a posted transaction',
    description:
      'A voucher posting the opposite lines once a different county_finance user approves it. One reversal draft per original ' +
      'waits at a time (409 INVALID_STATE for a second).',
  })
  @HttpCode(201)
  @Authenticated('county_finance')
  @ApiCreatedResponse({ type: VoucherView, description: 'A reversal draft; a different county_finance user approves it' })
  draftReversal(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ReverseTransactionDto): Promise<VoucherView> {
    return this.vouchers.draftReversal(actor, id, dto);
  }

  @Post('transactions/:id/approve')
  @ApiOperation({
    summary: 'Approve a voucher and post it',
    description:
      '`:id` is the voucher; answers the posted transaction, whose `id` is the transaction’s own (not the voucher’s) and whose ' +
      '`voucherId` is the voucher approved. The approver must not be the drafter (403 SAME_HAND); a voucher is approved once ' +
      '(409 INVALID_STATE).',
  })
  @HttpCode(201)
  @Authenticated('county_finance')
  @ApiParam({ name: 'id', format: 'uuid', description: 'The voucher (from drafting), not a transaction' })
  @ApiCreatedResponse({ type: TransactionView, description: 'The posted transaction: `id` its own, `voucherId` the voucher approved' })
  approve(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<TransactionView> {
    return this.vouchers.approve(actor, id);
  }

  @Get('vouchers')
  @ApiOperation({
    summary: 'List vouchers',
    description:
      'The county’s vouchers, newest first (drafted time, then id), a page of `limit` at a time: pass the `cursor` of the last ' +
      'row as `after` for the next page (400 VALIDATION_FAILED on `after` for anything else). Each row adds to the voucher its ' +
      'drafter’s name and, from the drafted request, the memo (a reversal’s reason), the effective date and the amount (the sum ' +
      'of the debit lines as drafted; null for a reversal).',
  })
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: [VoucherListItemView] })
  list(@CurrentActor() actor: Actor, @Query() q: VoucherQueryDto): Promise<VoucherListItemView[]> {
    return this.vouchers.list(actor, q);
  }

  @Get('vouchers/:id')
  @ApiOperation({ summary: 'Get a voucher', description: 'A draft or posted manual entry or reversal, with its drafter and approver.' })
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: VoucherView })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<VoucherView> {
    return this.vouchers.get(actor, id);
  }
}
