import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { LedgerController } from './ledger.controller';
import { LedgerPostingService } from './ledger-posting.service';
import { LedgerReadingService } from './ledger-reading.service';

@Module({
  imports: [AuditModule],
  controllers: [LedgerController],
  providers: [LedgerPostingService, LedgerReadingService],
  exports: [LedgerPostingService, LedgerReadingService],
})
export class LedgerModule {}
