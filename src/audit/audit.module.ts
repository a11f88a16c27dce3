import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditLog } from './audit-log';
import { AuditSealer } from './audit-sealer';

@Module({
  controllers: [AuditController],
  providers: [AuditLog, AuditSealer],
  exports: [AuditLog, AuditSealer],
})
export class AuditModule {}
