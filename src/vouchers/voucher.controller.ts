import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated } from '../access/auth.decorators';
import { Actor, CurrentActor } from '../common/context';
import { idempotencyKey } from '../common/idempotency';
import { PostTransactionDto, ReverseTransactionDto } from '../ledger/dto/ledger.dto';
import { TransactionView } from '../ledger/dto/ledger.views';
import { LEDGER_READERS } from '../ledger/ledger.controller';
import { VoucherService } from './voucher.service';
import { VoucherView } from './voucher.views';

@ApiTags('ledger')
@Controller('api/v1/ledger')
export class VoucherController {
  constructor(private readonly vouchers: VoucherService) {}

  @Post('transactions')
  @Authenticated('county_finance')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A replay with the same body returns the first answer' })
  @ApiCreatedResponse({ type: VoucherView, description: 'A draft; a different county_finance user approves it to post it' })
  async draft(
    @CurrentActor() actor: Actor,
    @Body() dto: PostTransactionDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VoucherView> {
    const { voucher, replayed } = await this.vouchers.draftPosting(actor, dto, idempotencyKey(key));
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return voucher;
  }

  @Post('transactions/:id/reversal')
  @HttpCode(201)
  @Authenticated('county_finance')
  @ApiCreatedResponse({ type: VoucherView, description: 'A reversal draft; a different county_finance user approves it' })
  draftReversal(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ReverseTransactionDto): Promise<VoucherView> {
    return this.vouchers.draftReversal(actor, id, dto);
  }

  @Post('transactions/:id/approve')
  @HttpCode(201)
  @Authenticated('county_finance')
  @ApiCreatedResponse({ type: TransactionView, description: ':id is the voucher; answers the posted transaction' })
  approve(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<TransactionView> {
    return this.vouchers.approve(actor, id);
  }

  @Get('vouchers/:id')
  @Authenticated(...LEDGER_READERS)
  @ApiOkResponse({ type: VoucherView })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<VoucherView> {
    return this.vouchers.get(actor, id);
  }
}
