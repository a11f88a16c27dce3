import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessModule } from './access/access.module';
import { AuditModule } from './audit/audit.module';
import { CalendarModule } from './calendar/calendar.module';
import { ClaimsModule } from './claims/claims.module';
import { ClockModule } from './common/clock';
import { ContractsModule } from './contracts/contracts.module';
import { ErrorFilter } from './common/error.filter';
import { createValidationPipe } from './common/validation';
import { validateEnv } from './config/env';
import { CountyModule } from './county/county.module';
import { dataSourceOptions } from './database/data-source';
import { SchemaBehindError, migrateAtStart } from './database/migrate-at-start';
import { HealthController } from './health/health.controller';
import { LedgerModule } from './ledger/ledger.module';
import { MonitoringModule } from './monitoring/monitoring.module';
import { FundsModule } from './funds/funds.module';
import { PoliciesModule } from './policies/policies.module';
import { ProjectsModule } from './projects/projects.module';
import { PublicityModule } from './publicity/publicity.module';
import { ReportsModule } from './reports/reports.module';
import { ExportsModule } from './exports/exports.module';
import { TasksModule } from './tasks/tasks.module';
import { VoucherModule } from './vouchers/voucher.module';

export interface AppOptions {
  /** The resolved database (DATABASE_URL or the embedded one). */
  databaseUrl: string;
  embeddedDatabase?: boolean;
  /** Signs access tokens; resolved by the caller (JWT_SECRET, or generated for the embedded database). */
  jwtSecret: string;
  poolSize?: number;
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnv }),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(options.databaseUrl, options.poolSize),
            // A refused start-up stays refused: retrying would only repeat the message.
            toRetry: (err: unknown) => !(err instanceof SchemaBehindError),
          }),
          // Migrations before any other start-up work (first admin, sealer), as migrationsRun would, but only when
          // pending: the service's role owns nothing and cannot apply them (src/database/migrate-at-start.ts).
          dataSourceFactory: async (dsOptions) => {
            const ds = await new DataSource(dsOptions!).initialize();
            try {
              await migrateAtStart(ds);
              return ds;
            } catch (err) {
              await ds.destroy();
              throw err;
            }
          },
        }),
        ClockModule,
        AuditModule,
        CountyModule,
        AccessModule.forRoot({ jwtSecret: options.jwtSecret, embeddedDatabase: options.embeddedDatabase ?? false }),
        LedgerModule,
        VoucherModule,
        PoliciesModule,
        CalendarModule,
        FundsModule,
        ProjectsModule,
        ContractsModule,
        ClaimsModule,
        PublicityModule,
        MonitoringModule,
        ReportsModule,
        ExportsModule,
        TasksModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
    };
  }
}
