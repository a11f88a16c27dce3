import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ROLES, Role } from '../access/domain/roles';
import { OrgUnitView } from '../access/dto/access.dto';
import { OrgUnitsService } from '../access/org-units.service';
import { UsersService } from '../access/users.service';
import { AppModule } from '../app.module';
import { Actor, systemActor } from '../common/context';
import { Clock } from '../common/clock';
import { dayAfter } from '../publicity/domain/publicity-gate';
import { DraftNoticeDto } from '../publicity/notices.dto';
import { NoticesService } from '../publicity/notices.service';
import { ObjectionsService } from '../publicity/objections.service';
import Decimal from 'decimal.js';
import { formatMoney, money } from '../common/money';
import { CountyService } from '../county/county.service';
import { FundsService } from '../funds/funds.service';
import { bankCode, workflowKindOfCode } from '../ledger/domain/account-refs';
import { splitEvenly } from '../ledger/domain/split';
import { LedgerReadingService } from '../ledger/ledger-reading.service';
import { BudgetService } from '../projects/budget.service';
import { ProjectsService } from '../projects/projects.service';
import { ClaimAttachmentsService } from '../claims/claim-attachments.service';
import { ClaimsService } from '../claims/claims.service';
import { PACKET_DOCUMENTS } from '../claims/domain/claims';
import { ContractsService } from '../contracts/contracts.service';
import { PaymentsService } from '../contracts/payments.service';
import { seedMonitoring } from './seed-demo-monitoring';
import { createDataSource } from '../database/data-source';
import { col, selectOne, selectRows } from '../database/rows';

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
/** The demo's dedicated accounts; every other account of the demo is a workflow's. */
const DEMO_DEDICATED_CODE = /^DEMO\d+$/;
const DEMO_MARK = '（演示）';

/**
 * The source document's figures (英山縣): 15 key villages, 68 projects — 25 industry 650萬, 28 infrastructure 1,080萬,
 * 15 social services and training 441.4萬, 2,171.4萬 in all — funded by fiscal poverty funds of 1,929萬 (of which
 * 以工代賑 608萬) and 242.4萬 from other sources.
 */
const DEMO_FUNDS = [
  {
    key: 'fiscal',
    documentNumber: `鄂財農發〔2026〕12號${DEMO_MARK}`,
    issuingLevel: 'provincial',
    fundType: '財政專項扶貧資金',
    amount: '13210000.00',
    permittedCategories: ['industry', 'infrastructure', 'social_services', 'training'],
  },
  {
    key: 'relief',
    documentNumber: `鄂發改地振〔2026〕3號${DEMO_MARK}`,
    issuingLevel: 'central',
    fundType: '以工代賑',
    amount: '6080000.00',
    permittedCategories: ['infrastructure', 'work_for_relief'],
  },
  {
    key: 'other',
    documentNumber: `英財農〔2026〕5號${DEMO_MARK}`,
    issuingLevel: 'county',
    fundType: '整合涉農資金',
    amount: '2424000.00',
    permittedCategories: ['social_services', 'training'],
  },
] as const;
const DEMO_PROJECT_GROUPS = [
  { label: '特色產業', categories: ['industry'], count: 25, total: '6500000.00', sources: ['fiscal'] },
  { label: '基礎設施', categories: ['infrastructure'], count: 28, total: '10800000.00', sources: ['relief', 'fiscal'] },
  { label: '社會事業及培訓', categories: ['social_services', 'training'], count: 15, total: '4414000.00', sources: ['fiscal', 'other'] },
] as const;
const KEY_VILLAGES = 15;

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
    const ensureUnit = async (parentId: number, code: string, name: string) => existing.get(code) ?? (await units.create(actor, { parentId, code, name }));

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
    await seedFundsAndProjects(app, actor, root.id, print);
  } finally {
    await app.close();
  }
}

const Occupants = z.object({
  counties: col.count,
  vouchers: col.count,
  dedicated: col.textArray.nullable(),
  allocations: col.count,
  users: col.count,
  allUsers: col.count,
  units: col.textArray.nullable(),
});

/**
 * The demo goes only where there is nothing but a county of the demo's code, its units and users (and at most one
 * other user, the first admin) and no ledger; or into an empty database. Checked before any migration runs, so a
 * refused database is left as it was. Answers whether any user existed.
 */
async function refuseForeignData(databaseUrl: string): Promise<boolean> {
  const ds = await createDataSource(databaseUrl, 1).initialize();
  const refuse = (what: string) => new Error(`seed-demo refuses this database: it holds ${what}, data other than its own demo`);
  try {
    const [{ ours }] = await selectRows(ds, z.object({ ours: col.bool }), `SELECT to_regclass('public.counties') IS NOT NULL AS ours`);
    if (!ours) {
      const [{ tables }] = await selectRows(
        ds,
        z.object({ tables: col.count }),
        `SELECT count(*)::int AS tables FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`,
      );
      if (tables > 0) throw refuse('tables of another application');
    } else {
      const [c] = await selectRows(
        ds,
        Occupants,
        `SELECT (SELECT count(*) FROM counties WHERE code <> $1)::int AS counties,
                (SELECT count(*) FROM ledger_vouchers)::int AS vouchers,
                (SELECT array_agg(code) FROM dedicated_accounts) AS dedicated,
                (SELECT count(*) FROM fund_allocations WHERE document_number NOT LIKE '%' || $2)::int AS allocations,
                (SELECT count(*) FROM users WHERE username NOT LIKE 'demo-%')::int AS users,
                (SELECT count(*) FROM users)::int AS all_users,
                (SELECT array_agg(code) FROM org_units) AS units`,
        [DEMO_COUNTY.code, DEMO_MARK],
      );
      const demoBanks = new Set((c.dedicated ?? []).filter((code) => DEMO_DEDICATED_CODE.test(code)).map(bankCode));
      const accounts = await new LedgerReadingService(ds).everyCode(ds.manager);
      const foreignAccounts = accounts.filter((code) => workflowKindOfCode(code) === null && !demoBanks.has(code));
      const foreignUnits = (c.units ?? []).filter((code) => !DEMO_UNIT_CODE.test(code));
      if (c.counties > 0) throw refuse('other counties');
      if (c.vouchers > 0 || c.allocations > 0 || foreignAccounts.length > 0) throw refuse('ledger accounts, allocations or vouchers');
      if (c.users > 1) throw refuse('users');
      if (foreignUnits.length > 0) throw refuse('org units');
      if (c.allUsers > 0) return true;
    }
    await ds.runMigrations({ transaction: 'each' });
    return false;
  } finally {
    await ds.destroy();
  }
}

/** The demo's money and projects: dedicated account, three allocations, 68 library projects and their budget lines. */
async function seedFundsAndProjects(app: INestApplicationContext, system: Actor, rootUnitId: number, print: (line: string) => void): Promise<void> {
  const ds = app.get(DataSource);
  const [{ n: projectCount }] = await selectRows(ds, z.object({ n: col.count }), `SELECT count(*)::int AS n FROM projects WHERE county_id = $1`, [
    system.county.id,
  ]);
  if (projectCount > 0) return;
  const actorOf = async (username: string, unitId: number): Promise<Actor> => {
    const [u] = await selectRows(ds, z.object({ id: col.id, roles: z.array(z.enum(ROLES)) }), `SELECT id, roles FROM users WHERE username = $1`, [username]);
    const [unit] = await selectRows(ds, z.object({ id: col.id, path: col.text }), `SELECT id, path FROM org_units WHERE id = $1`, [unitId]);
    return { county: system.county, actor: username, userId: u.id, roles: u.roles, orgUnit: { id: unit.id, path: unit.path } };
  };
  const finance = await actorOf('demo-finance-1', rootUnitId);
  const line = await actorOf('demo-line', rootUnitId);
  const funds = app.get(FundsService);
  const projects = app.get(ProjectsService);
  const budget = app.get(BudgetService);

  const dedicated = await funds.openDedicatedAccount(finance, {
    code: 'DEMO1',
    bankName: '湖北英山農村商業銀行',
    accountName: `英山縣財政局扶貧資金專戶${DEMO_MARK}`,
    accountNumber: '8201000000000001',
    officerId: finance.userId!,
  });
  const remaining = new Map<string, { id: number; left: Decimal }>();
  for (const f of DEMO_FUNDS) {
    const { key, ...dto } = f;
    const a = await funds.registerAllocation(finance, {
      ...dto,
      permittedCategories: [...dto.permittedCategories],
      fiscalYear: 2026,
      dedicatedAccountId: dedicated.id,
      receivedOn: '2026-03-01',
    });
    remaining.set(key, { id: a.id, left: money(a.amount) });
  }

  const villages = await selectRows(
    ds,
    z.object({ id: col.id, name: col.text, parentId: col.id }),
    `SELECT id, name, parent_id FROM org_units WHERE county_id = $1 AND level = 'village' ORDER BY id LIMIT $2`,
    [system.county.id, KEY_VILLAGES],
  );
  // The demo replays its county's year on its own dates, so each notice runs its days before the step it opens.
  const clock = app.get(Clock);
  clock.travelTo('2026-03-02');
  const proposed: { id: number; amount: Decimal; sources: readonly string[] }[] = [];
  let n = 0;
  for (const group of DEMO_PROJECT_GROUPS) {
    const amounts = splitEvenly(money(group.total), group.count);
    for (const [i, amount] of amounts.entries()) {
      const village = villages[n++ % villages.length];
      const proposer = await actorOf('demo-village', village.id);
      const reviewer = { ...(await actorOf('demo-township', village.parentId)) };
      const category = group.categories[i % group.categories.length];
      const p = await projects.propose(proposer, {
        name: `${village.name}${group.label}項目${i + 1}`,
        category,
        location: village.name,
        startDate: '2026-04-01',
        endDate: '2026-11-30',
        responsibleUnit: `${village.name}村民委員會`,
        responsiblePerson: '項目負責人',
        tasks: `${group.label}建設`,
        fundScale: formatMoney(amount),
        beneficiaryHouseholds: 100,
        poorHouseholds: 40,
        performanceTargets: ['帶動貧困戶戶均增收'],
        povertyMechanism: '優先吸納貧困戶務工，收益按股分紅',
      });
      await projects.transition(reviewer, p.id, 'review', '材料齊全');
      proposed.push({ id: p.id, amount, sources: group.sources });
    }
  }
  const notices = app.get(NoticesService);
  const checker = await actorOf('demo-finance-2', rootUnitId);
  const publish = async (dto: DraftNoticeDto) => notices.approve(checker, (await notices.draft(line, dto)).id, {});
  const projectIds = proposed.map((p) => p.id);
  const library = await publish({
    kind: 'library',
    documentNumber: '英扶辦公〔2026〕1號',
    channels: ['portal', 'township_board', 'village_board'],
    formedOn: '2026-03-02',
    projectIds,
  });
  clock.travelTo(dayAfter(library.endsOn!));
  for (const p of proposed) {
    await projects.transition(line, p.id, 'enter-library', '入庫');
    // Fill from the group's sources in order, splitting a project where one source runs out.
    let need = p.amount;
    for (const key of p.sources) {
      const source = remaining.get(key)!;
      const take = Decimal.min(need, source.left);
      if (take.lte(0)) continue;
      await budget.propose(finance, p.id, { allocationId: source.id, amount: formatMoney(take) });
      source.left = source.left.minus(take);
      need = need.minus(take);
      if (need.isZero()) break;
    }
  }
  const today = clock.today();
  const plan = await publish({
    kind: 'plan',
    documentNumber: '英扶辦公〔2026〕2號',
    channels: ['portal', 'township_board', 'village_board'],
    formedOn: today,
    projectIds,
  });
  await publish({
    kind: 'allocation',
    documentNumber: '英財公〔2026〕3號',
    channels: ['portal'],
    formedOn: today,
    allocationIds: [...remaining.values()].map((a) => a.id),
  });
  // One objection, by telephone, answered before the period ends.
  const objections = app.get(ObjectionsService);
  const objection = await objections.record(line, plan.id, { channel: 'phone', content: '詢問項目實施地點是否包含本組', receivedOn: today });
  await objections.answer(line, plan.id, objection.id, { outcome: 'dismissed', finding: '經核實，項目實施地點已覆蓋該組，異議不成立，已電話告知。' });
  clock.travelTo('2026-04-10');
  print(`  funds: ${DEMO_FUNDS.map((f) => `${f.fundType} ${f.amount}`).join(', ')}; ${n} projects in ${villages.length} key villages, all allocated`);
  print(`  publicity: library notice ${library.code}, plan ${plan.code} (one objection answered), allocation results; see /public/notices`);
  await seedContractAndClaims(app, { finance, checker, line, actorOf }, print);
  await seedMonitoring(app, { finance, checker, admin: await actorOf('demo-admin', rootUnitId) }, dedicated.id, DEMO_MARK, print);
}

/** A scanned document of the demo: a one-page PDF naming what it stands for. */
function demoScan(title: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${title}${DEMO_MARK}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);
}

/**
 * One road contract of 溫泉鎮一村 (40/50/10, stage 1 inspected), a claim on it taken from submission to payment by the
 * demo's users, and a second claim waiting for the township's review, so every role has something to look at.
 */
async function seedContractAndClaims(
  app: INestApplicationContext,
  people: { finance: Actor; checker: Actor; line: Actor; actorOf: (username: string, unitId: number) => Promise<Actor> },
  print: (line: string) => void,
): Promise<void> {
  const ds = app.get(DataSource);
  const [village] = await selectRows(
    ds,
    z.object({ id: col.id, parentId: col.id }),
    `SELECT o.id, o.parent_id FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.username = 'demo-village'`,
  );
  const project = await selectOne(
    ds,
    z.object({ id: col.id, fundScale: col.money }),
    `SELECT id, fund_scale FROM projects WHERE village_id = $1 AND category = 'infrastructure' ORDER BY id LIMIT 1`,
    [village.id],
  );
  if (!project) return;
  const villager = await people.actorOf('demo-village', village.id);
  const township = await people.actorOf('demo-township', village.parentId);
  const inspector = await people.actorOf('demo-inspector', people.finance.orgUnit!.id);
  const contracts = app.get(ContractsService);
  const payments = app.get(PaymentsService);
  const claims = app.get(ClaimsService);
  const scans = app.get(ClaimAttachmentsService);
  const payee = {
    name: `英山縣路橋工程有限公司${DEMO_MARK}`,
    type: 'company',
    bank: '湖北英山農村商業銀行',
    account: '8201000000000999',
    taxId: '91421124MA4F0B3K57',
  };
  const contract = await contracts.draft(people.finance, project.id, {
    title: '通村公路硬化工程',
    payee,
    amount: formatMoney(money(project.fundScale)),
    schedule: [
      { percent: '40', milestone: '路基完工' },
      { percent: '50', milestone: '路面完工' },
      { percent: '10', milestone: '竣工驗收合格' },
    ],
    tender: { method: '公開招標', date: '2026-04-10', bidders: [payee.name, '黃岡市通達建設有限公司'], winner: payee.name },
    letters: {
      countyToTownship: { reference: '英扶責〔2026〕8號', date: '2026-04-01' },
      townshipToVillage: { reference: '溫扶責〔2026〕3號', date: '2026-04-05' },
      villageToContractor: { reference: '一村責〔2026〕1號', date: '2026-04-08' },
    },
  });
  await contracts.sign(people.checker, contract.id);
  await payments.inspect(inspector, contract.id, { stage: 1, result: 'pass', notes: '路基壓實度達標' });
  app.get(Clock).travelTo(null);

  // The demo's dates, or today when the clock is earlier (nothing may be dated in the future).
  const today = app.get(Clock).today();
  const day = (date: string) => (date < today ? date : today);
  const stageOne = money(contract.amount).times('0.4').toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const first = stageOne.times('0.75').toDecimalPlaces(2, Decimal.ROUND_DOWN);
  const draftClaim = async (amount: Decimal, invoice: string) => {
    const half = amount.div(2).toDecimalPlaces(2, Decimal.ROUND_DOWN);
    const parts = [formatMoney(half), formatMoney(amount.minus(half))];
    const claim = await claims.draft(villager, {
      contractId: contract.id,
      amount: formatMoney(amount),
      stage: 1,
      final: false,
      applicationDate: day('2026-06-25'),
      expenses: [
        { description: '路基土石方', amount: parts[0] },
        { description: '涵洞及排水', amount: parts[1] },
      ],
      invoices: parts.map((a, i) => ({
        issuer: payee.name,
        issuerTaxId: payee.taxId,
        code: '4200261130',
        number: `${invoice}${i + 1}`,
        date: day('2026-06-20'),
        amount: a,
      })),
    });
    for (const kind of PACKET_DOCUMENTS) {
      await scans.attach(villager, claim.id, kind, { originalname: `${kind}.pdf`, mimetype: 'application/pdf', buffer: demoScan(`${kind} ${invoice}`) });
    }
    await claims.submit(villager, claim.id);
    return claim.id;
  };
  const paid = await draftClaim(first, '4200100');
  await claims.townshipReview(township, paid, { signedOn: day('2026-06-28'), opinion: '單據齊全，金額相符' });
  await claims.lineReview(people.line, paid, { result: 'pass', opinion: '工程量與合同一致' });
  await claims.approve(people.finance, paid, { opinion: '同意撥付' });
  await claims.pay(people.checker, paid, { payeeAccount: payee.account });
  const waiting = await draftClaim(stageOne.minus(first), '4200200');
  print(
    `  contract ${contract.id} (${contract.amount}) on project ${project.id}: claim ${paid} paid (${formatMoney(first)}), claim ${waiting} waiting for the township's review`,
  );
}
