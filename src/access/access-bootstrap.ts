import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { systemActor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { CountyService } from '../county/county.service';
import { inTransaction } from '../database/unit-of-work';
import { generatePassword, passwordProblem } from './domain/password-policy';
import { OrgUnitsService } from './org-units.service';
import { UsersService } from './users.service';

export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

/**
 * First start: the county's own org unit, and when the county has no user yet an `admin` from ADMIN_USERNAME /
 * ADMIN_PASSWORD. Without them the service refuses to start on a real database, and with a weak ADMIN_PASSWORD
 * anywhere; on the embedded default it generates a password, prints it once and requires it to be changed.
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
    const displayName = 'Administrator';
    const generated = !username || !password;
    if (!username || !password) {
      if (!this.embedded) {
        throw new Error('no user exists yet: set ADMIN_USERNAME and ADMIN_PASSWORD to create the first admin');
      }
      username ??= 'admin';
      password = generatePassword();
    }
    const problem = passwordProblem(password, { username, displayName });
    if (problem) throw new Error(`ADMIN_PASSWORD ${problem} Set a stronger ADMIN_PASSWORD to create the first admin.`);
    const [root] = await this.units.list(actor, 0, 1);
    try {
      await this.users.create(
        actor,
        { username, displayName, password, orgUnitId: root.id, roles: ['admin'] },
        // A printed password has been seen in a log: its owner must replace it before doing anything.
        { passwordChangeRequired: generated },
      );
      if (generated) {
        this.logger.warn(`first start: created user "${username}" with password ${password} (shown once; change it at the first login)`);
      }
    } catch (err) {
      // Another instance starting at the same moment created it first.
      if (!(err instanceof DomainError && err.code === ErrorCode.DuplicateUser)) throw err;
    }
  }
}
