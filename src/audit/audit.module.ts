import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditLog } from './audit-log';
import { AuditSealer } from './audit-sealer';
import { CheckpointsController } from './checkpoints/checkpoints.controller';
import { CheckpointsService } from './checkpoints/checkpoints.service';

@Module({
  controllers: [AuditController, CheckpointsController],
  providers: [AuditLog, AuditSealer, CheckpointsService],
  exports: [AuditLog, AuditSealer, CheckpointsService],
})
export class AuditModule {}
