import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { LedgerModule } from '../ledger/ledger.module';
import { DedicatedAccountsController, FundAllocationsController } from './funds.controller';
import { FundsService } from './funds.service';

@Module({
  imports: [AuditModule, LedgerModule],
  controllers: [DedicatedAccountsController, FundAllocationsController],
  providers: [FundsService],
  exports: [FundsService],
})
export class FundsModule {}
