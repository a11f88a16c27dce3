import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MulterModule } from '@nestjs/platform-express';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditModule } from '../audit/audit.module';
import { ContractsModule } from '../contracts/contracts.module';
import { LedgerModule } from '../ledger/ledger.module';
import { PoliciesModule } from '../policies/policies.module';
import { ClaimAttachmentsService } from './claim-attachments.service';
import { ClaimHolds } from './claim-holds';
import { ClaimsController } from './claims.controller';
import { ClaimsService } from './claims.service';

@Module({
  imports: [
    AuditModule,
    LedgerModule,
    PoliciesModule,
    ContractsModule,
    // One file per upload, streamed to a temporary file up to the limit (removed when the request ends); the name is
    // kept whole (preservePath) so a path in it is refused rather than silently cut off, and read as UTF-8 so Chinese
    // names survive.
    MulterModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        // Default: a directory of this process's own (mode 700), so no other local user reads a scan in transit.
        dest: config.get<string>('UPLOAD_TMP_DIR') ?? mkdtempSync(join(tmpdir(), 'fund-ledger-uploads-')),
        preservePath: true,
        defParamCharset: 'utf8',
        limits: { fileSize: config.getOrThrow<number>('ATTACHMENT_MAX_BYTES'), files: 1, fields: 4, parts: 6 },
      }),
    }),
  ],
  controllers: [ClaimsController],
  providers: [ClaimsService, ClaimAttachmentsService, ClaimHolds],
})
export class ClaimsModule {}
