import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AuditLog } from '../audit/audit-log';
import { systemActor } from '../common/context';
import { col, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';

const CountyRef = z.object({ id: col.id, code: col.text });
export type CountyRef = z.infer<typeof CountyRef>;

/**
 * Until org units arrive, the service runs one county, created at first start from COUNTY_CODE / COUNTY_NAME.
 */
@Injectable()
export class CountyService implements OnApplicationBootstrap {
  private current?: CountyRef;

  constructor(
    private readonly ds: DataSource,
    private readonly config: ConfigService,
    private readonly audit: AuditLog,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.current = await this.ensure(this.config.getOrThrow<string>('COUNTY_CODE'), this.config.getOrThrow<string>('COUNTY_NAME'));
  }

  get county(): CountyRef {
    if (!this.current) throw new Error('county not loaded yet');
    return this.current;
  }

  /**
   * Creates the county unless it exists; safe when several instances start at once. The database's triggers open its
   * audit chain and load the national calendar's days into it (CountyCalendar migration) in the same insert.
   */
  async ensure(code: string, name: string): Promise<CountyRef> {
    return inTransaction(this.ds, async (em) => {
      const created = await selectRows(em, CountyRef, `INSERT INTO counties (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING id, code`, [
        code,
        name,
      ]);
      if (created.length > 0) {
        await this.audit.append(em, systemActor(created[0]), 'county.created', { code, name });
        return created[0];
      }
      const [county] = await selectRows(em, CountyRef, `SELECT id, code FROM counties WHERE code = $1`, [code]);
      return county;
    });
  }
}
