import { MonitoringModule } from '../monitoring/monitoring.module';
import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { LedgerModule } from '../ledger/ledger.module';
import { PoliciesModule } from '../policies/policies.module';
import { ProjectsModule } from '../projects/projects.module';
import { PublicityModule } from '../publicity/publicity.module';
import { ContractsController } from './contracts.controller';
import { ContractsService } from './contracts.service';
import { AcceptanceService } from './acceptance.service';
import { PaymentsService } from './payments.service';
import { RetentionService } from './retention.service';

@Module({
  imports: [AuditModule, LedgerModule, MonitoringModule, PoliciesModule, ProjectsModule, PublicityModule],
  controllers: [ContractsController],
  providers: [ContractsService, PaymentsService, AcceptanceService, RetentionService],
  exports: [ContractsService, PaymentsService],
})
export class ContractsModule {}
