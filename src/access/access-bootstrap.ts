import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { systemActor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { CountyService } from '../county/county.service';
import { inTransaction } from '../database/unit-of-work';
import { OrgUnitsService } from './org-units.service';
import { UsersService } from './users.service';

export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

/**
 * First start: the county's own org unit, and when the county has no user yet an `admin` from ADMIN_USERNAME /
 * ADMIN_PASSWORD. Without them the service refuses to start on a real database; on the embedded default it
 * generates a password and prints it once.
 */
@Injectable()
export class AccessBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly ds: DataSource,
    private readonly config: ConfigService,
    private readonly counties: CountyService,
    private readonly units: OrgUnitsService,
    private readonly users: UsersService,
    @Inject(EMBEDDED_DATABASE) private readonly embedded: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const actor = systemActor(this.counties.county);
    await inTransaction(this.ds, (em) => this.units.ensureRoot(em, actor, this.config.getOrThrow<string>('COUNTY_NAME')));
    if ((await this.users.countIn(actor.county.id)) > 0) return;

    let username = this.config.get<string>('ADMIN_USERNAME');
    let password = this.config.get<string>('ADMIN_PASSWORD');
    if (!username || !password) {
      if (!this.embedded) {
        throw new Error('no user exists yet: set ADMIN_USERNAME and ADMIN_PASSWORD to create the first admin');
      }
      username ??= 'admin';
      password = randomBytes(18).toString('base64url');
      this.logger.warn(`first start: created user "${username}" with password ${password} (shown once; change it)`);
    }
    const [root] = await this.units.list(actor, 0, 1);
    try {
      await this.users.create(actor, { username, displayName: 'Administrator', password, orgUnitId: root.id, roles: ['admin'] });
    } catch (err) {
      // Another instance starting at the same moment created it first.
      if (!(err instanceof DomainError && err.code === ErrorCode.DuplicateUser)) throw err;
    }
  }
}
