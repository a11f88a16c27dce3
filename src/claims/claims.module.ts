import { MonitoringModule } from '../monitoring/monitoring.module';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MulterModule } from '@nestjs/platform-express';
import { AuditModule } from '../audit/audit.module';
import { uploadOptions } from '../common/uploads';
import { ContractsModule } from '../contracts/contracts.module';
import { LedgerModule } from '../ledger/ledger.module';
import { PoliciesModule } from '../policies/policies.module';
import { ClaimAttachmentsService } from './claim-attachments.service';
import { ClaimHolds } from './claim-holds';
import { ClaimPackets } from './claim-packet';
import { ClaimsController } from './claims.controller';
import { ClaimsService } from './claims.service';

@Module({
  imports: [
    AuditModule,
    LedgerModule,
    MonitoringModule,
    PoliciesModule,
    ContractsModule,
    MulterModule.registerAsync({ inject: [ConfigService], useFactory: uploadOptions }),
  ],
  controllers: [ClaimsController],
  providers: [ClaimsService, ClaimAttachmentsService, ClaimHolds, ClaimPackets],
})
export class ClaimsModule {}
