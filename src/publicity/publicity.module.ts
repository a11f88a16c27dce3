import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MulterModule } from '@nestjs/platform-express';
import { AuditModule } from '../audit/audit.module';
import { CalendarModule } from '../calendar/calendar.module';
import { uploadOptions } from '../common/uploads';
import { CountyModule } from '../county/county.module';
import { LedgerModule } from '../ledger/ledger.module';
import { PoliciesModule } from '../policies/policies.module';
import { NoticeEvidenceService } from './notice-evidence.service';
import { NoticeSnapshot } from './notice-snapshot';
import { NoticesController } from './notices.controller';
import { NoticesService } from './notices.service';
import { ObjectionsService } from './objections.service';
import { PublicNoticesController } from './public-notices.controller';
import { PublicNoticesService } from './public-notices.service';
import { PublicityGates } from './publicity-gates';
import { PublicityWatch } from './publicity-watch';

@Module({
  imports: [
    AuditModule,
    CalendarModule,
    CountyModule,
    LedgerModule,
    PoliciesModule,
    MulterModule.registerAsync({ inject: [ConfigService], useFactory: uploadOptions }),
  ],
  controllers: [NoticesController, PublicNoticesController],
  providers: [NoticeEvidenceService, NoticesService, ObjectionsService, NoticeSnapshot, PublicNoticesService, PublicityGates, PublicityWatch],
  exports: [PublicityGates],
})
export class PublicityModule {}
