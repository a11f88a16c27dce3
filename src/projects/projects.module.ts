import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { LedgerModule } from '../ledger/ledger.module';
import { PoliciesModule } from '../policies/policies.module';
import { PublicityModule } from '../publicity/publicity.module';
import { BudgetService } from './budget.service';
import { ProjectsController } from './projects.controller';
import { ProjectsService } from './projects.service';

@Module({
  imports: [AuditModule, LedgerModule, PoliciesModule, PublicityModule],
  controllers: [ProjectsController],
  providers: [ProjectsService, BudgetService],
  exports: [ProjectsService, BudgetService],
})
export class ProjectsModule {}
