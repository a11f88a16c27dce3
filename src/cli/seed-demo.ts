import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Role } from '../access/domain/roles';
import { OrgUnitView } from '../access/dto/access.dto';
import { OrgUnitsService } from '../access/org-units.service';
import { UsersService } from '../access/users.service';
import { AppModule } from '../app.module';
import { Actor, systemActor } from '../common/context';
import { CountyService } from '../county/county.service';
import { createDataSource } from '../database/data-source';

/** 英山縣 (湖北省黃岡市) and its eleven townships (縣11個鄉鎮), two demo villages each. */
export const DEMO_COUNTY = { code: '421124', name: '英山縣' };
const TOWNSHIPS = ['溫泉鎮', '南河鎮', '紅山鎮', '金家鋪鎮', '孔家坊鄉', '石頭咀鎮', '草盤地鎮', '雷家店鎮', '楊柳灣鎮', '方家咀鄉', '陶家河鄉'];
const VILLAGES_PER_TOWNSHIP = 2;

/** One demo user per role; two county_finance users, so a voucher can be drafted by one and approved by the other. */
const DEMO_USERS: { username: string; displayName: string; roles: Role[]; unit: 'county' | 'township' | 'village' }[] = [
  { username: 'demo-admin', displayName: '系統管理員', roles: ['admin'], unit: 'county' },
  { username: 'demo-finance-1', displayName: '縣財政局 記帳員', roles: ['county_finance'], unit: 'county' },
  { username: 'demo-finance-2', displayName: '縣財政局 覆核員', roles: ['county_finance'], unit: 'county' },
  { username: 'demo-leader', displayName: '縣領導', roles: ['county_leader'], unit: 'county' },
  { username: 'demo-line', displayName: '縣扶貧辦', roles: ['line_department'], unit: 'county' },
  { username: 'demo-township', displayName: '溫泉鎮財政所', roles: ['township_finance'], unit: 'township' },
  { username: 'demo-village', displayName: '溫泉鎮一村 項目負責人', roles: ['village'], unit: 'village' },
  { username: 'demo-inspector', displayName: '聯合檢查組', roles: ['inspector'], unit: 'county' },
  { username: 'demo-auditor', displayName: '縣審計局', roles: ['auditor'], unit: 'county' },
];

const DEMO_UNIT_CODE = /^421124(\d{3}|\d{6})?$/;

/**
 * Seeds the demo county: townships, villages and one user per role, printing the credentials of the users it
 * creates. Runs again safely (it adds what is missing); refuses a database holding anything but its own demo.
 */
export async function seedDemo(databaseUrl: string, jwtSecret: string, print: (line: string) => void): Promise<void> {
  process.env.COUNTY_CODE = DEMO_COUNTY.code;
  process.env.COUNTY_NAME = DEMO_COUNTY.name;
  process.env.ADMIN_USERNAME ??= 'demo-admin';
  const generated = process.env.ADMIN_PASSWORD ? undefined : randomBytes(12).toString('base64url');
  process.env.ADMIN_PASSWORD ??= generated;

  const hadUsers = await refuseForeignData(databaseUrl);
  const app: INestApplicationContext = await NestFactory.createApplicationContext(AppModule.forRoot({ databaseUrl, jwtSecret }), {
    logger: false,
  });
  try {
    const actor: Actor = { ...systemActor(app.get(CountyService).county), actor: 'seed-demo' };
    const units = app.get(OrgUnitsService);
    const users = app.get(UsersService);
    const existing = new Map((await units.list(actor, 0, 1000)).map((u) => [u.code, u]));
    const root = [...existing.values()].find((u) => u.level === 'county')!;
    const ensureUnit = async (parentId: number, code: string, name: string) =>
      existing.get(code) ?? (await units.create(actor, { parentId, code, name }));

    const townships: OrgUnitView[] = [];
    for (const [i, name] of TOWNSHIPS.entries()) {
      const township = await ensureUnit(root.id, `${DEMO_COUNTY.code}${String(i + 1).padStart(3, '0')}`, name);
      townships.push(township);
      for (let v = 1; v <= VILLAGES_PER_TOWNSHIP; v++) {
        await ensureUnit(township.id, `${township.code}${String(v).padStart(3, '0')}`, `${name}${'一二三四五'[v - 1]}村`);
      }
    }
    const firstVillage = (await units.list(actor, 0, 1000)).find((u) => u.parentId === townships[0].id)!;
    const unitFor = { county: root.id, township: townships[0].id, village: firstVillage.id };

    const known = new Set((await users.list(actor, 0, 1000)).map((u) => u.username));
    print(`demo county ${DEMO_COUNTY.name} (${DEMO_COUNTY.code}): ${TOWNSHIPS.length} townships, ${TOWNSHIPS.length * VILLAGES_PER_TOWNSHIP} villages`);
    if (generated && !hadUsers) print(`  demo-admin         password ${generated}  (admin, first admin of the county)`);
    for (const u of DEMO_USERS) {
      if (known.has(u.username)) continue;
      const password = randomBytes(12).toString('base64url');
      await users.create(actor, { username: u.username, displayName: u.displayName, password, orgUnitId: unitFor[u.unit], roles: u.roles });
      print(`  ${u.username.padEnd(18)} password ${password}  (${u.roles.join(', ')})`);
    }
  } finally {
    await app.close();
  }
}

/**
 * The demo goes only where there is nothing but a county of the demo's code, its units and users (and at most one
 * other user, the first admin) and no ledger; or into an empty database. Checked before any migration runs, so a
 * refused database is left as it was. Answers whether any user existed.
 */
async function refuseForeignData(databaseUrl: string): Promise<boolean> {
  const ds = await createDataSource(databaseUrl, 1).initialize();
  const refuse = (what: string) =>
    new Error(`seed-demo refuses this database: it holds ${what}, data other than its own demo`);
  try {
    const [{ ours }] = await ds.query(`SELECT to_regclass('public.counties') IS NOT NULL AS ours`);
    if (!ours) {
      const [{ tables }] = await ds.query(
        `SELECT count(*)::int AS tables FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`,
      );
      if (tables > 0) throw refuse('tables of another application');
    } else {
      const [c] = await ds.query(
        `SELECT (SELECT count(*) FROM counties WHERE code <> $1)::int AS counties,
                (SELECT count(*) FROM ledger_accounts)::int + (SELECT count(*) FROM ledger_vouchers)::int AS ledger,
                (SELECT count(*) FROM users WHERE username NOT LIKE 'demo-%')::int AS users,
                (SELECT count(*) FROM users)::int AS all_users,
                (SELECT array_agg(code) FROM org_units) AS units`,
        [DEMO_COUNTY.code],
      );
      const foreignUnits = ((c.units as string[] | null) ?? []).filter((code) => !DEMO_UNIT_CODE.test(code));
      if (c.counties > 0) throw refuse('other counties');
      if (c.ledger > 0) throw refuse('ledger accounts or vouchers');
      if (c.users > 1) throw refuse('users');
      if (foreignUnits.length > 0) throw refuse('org units');
      if (c.all_users > 0) return true;
    }
    await ds.runMigrations({ transaction: 'each' });
    return false;
  } finally {
    await ds.destroy();
  }
}
