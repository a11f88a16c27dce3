import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { LedgerModule } from '../ledger/ledger.module';
import { VoucherController } from './voucher.controller';
import { VoucherService } from './voucher.service';

@Module({
  imports: [AuditModule, LedgerModule],
  controllers: [VoucherController],
  providers: [VoucherService],
})
export class VoucherModule {}
