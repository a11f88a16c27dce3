import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CountyService } from './county.service';

@Module({
  imports: [AuditModule],
  providers: [CountyService],
  exports: [CountyService],
})
export class CountyModule {}
