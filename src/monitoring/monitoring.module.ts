import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MulterModule } from '@nestjs/platform-express';
import { AuditModule } from '../audit/audit.module';
import { CalendarModule } from '../calendar/calendar.module';
import { uploadOptions } from '../common/uploads';
import { LedgerModule } from '../ledger/ledger.module';
import { PoliciesModule } from '../policies/policies.module';
import { AlertEvidenceService } from './alert-evidence.service';
import { AlertReconciler } from './alert-reconciler';
import { AlertsService } from './alerts.service';
import { InspectionsService } from './inspections.service';
import { MonitoringRecordsController } from './monitoring-records.controller';
import { MonitoringRunner } from './monitoring-runner';
import { MonitoringRuns } from './monitoring-runs.service';
import { MonitoringScheduler } from './monitoring-scheduler';
import { MonitoringController } from './monitoring.controller';
import { RelatedPartiesService } from './related-parties.service';

/** Full-process monitoring (全程監控制): detectors, runs, alerts, the register of officials and relatives, joint inspections. */
@Module({
  imports: [AuditModule, CalendarModule, LedgerModule, PoliciesModule, MulterModule.registerAsync({ inject: [ConfigService], useFactory: uploadOptions })],
  controllers: [MonitoringController, MonitoringRecordsController],
  providers: [
    AlertEvidenceService,
    AlertReconciler,
    AlertsService,
    InspectionsService,
    MonitoringRunner,
    MonitoringRuns,
    MonitoringScheduler,
    RelatedPartiesService,
  ],
  exports: [MonitoringRunner],
})
export class MonitoringModule {}
