import { INestApplication } from '@nestjs/common';
import { OrgUnitsService } from '../../src/access/org-units.service';
import { UsersService } from '../../src/access/users.service';
import { Actor, systemActor } from '../../src/common/context';
import { ContractsService } from '../../src/contracts/contracts.service';
import { PaymentsService } from '../../src/contracts/payments.service';
import { CountyService } from '../../src/county/county.service';
import { FundsService } from '../../src/funds/funds.service';
import { BudgetService } from '../../src/projects/budget.service';
import { ProjectsService } from '../../src/projects/projects.service';
import { DataSource } from 'typeorm';
import { publicityPassed } from '../support/publicity';
import { Figures, drive, figures } from './harness';

/** The bench payee's 統一社會信用代碼 (its check character is right). */
export const BENCH_PAYEE_TAX_ID = '91421124MA4F0B3K57';

const CONTRACTS = 200;

/** The people and signed contracts the workflow cases share: 200 contracts of 400,000.00, one project each. */
export interface BenchWorld {
  maker: Actor;
  checker: Actor;
  line: Actor;
  township: Actor;
  village: Actor;
  contracts: number[];
}

export async function benchWorld(app: INestApplication, prefix: string): Promise<BenchWorld> {
  const system = systemActor(app.get(CountyService).county);
  const units = app.get(OrgUnitsService);
  const users = app.get(UsersService);
  const [root] = await units.list(system, 0, 1);
  const township = await units.create(system, { parentId: root.id, code: `${prefix}T`, name: 'bench township' });
  const village = await units.create(system, { parentId: township.id, code: `${prefix}V`, name: 'bench village' });
  const actor = async (username: string, roles: Actor['roles'], unit: { id: number; path: string }): Promise<Actor> => {
    const u = await users.create(system, {
      username: `${prefix}-${username}`,
      displayName: username,
      password: 'bench-password-0123',
      orgUnitId: unit.id,
      roles: [...roles],
    });
    return { county: system.county, actor: `${prefix}-${username}`, userId: u.id, roles, orgUnit: { id: unit.id, path: unit.path } };
  };
  const [maker, checker, line, tf, villager] = [
    await actor('maker', ['county_finance'], root),
    await actor('checker', ['county_finance'], root),
    await actor('line', ['line_department'], root),
    await actor('township', ['township_finance'], township),
    await actor('village', ['village'], village),
  ];
  const funds = app.get(FundsService);
  const dedicated = await funds.openDedicatedAccount(maker, {
    code: `${prefix}BENCH`,
    bankName: 'b',
    accountName: 'a',
    accountNumber: '00000001',
    officerId: maker.userId!,
  });
  const allocation = await funds.registerAllocation(maker, {
    documentNumber: `${prefix}-1`,
    issuingLevel: 'county',
    fundType: '其他',
    fiscalYear: 2026,
    amount: '1000000000.00',
    permittedCategories: ['infrastructure'],
    dedicatedAccountId: dedicated.id,
    receivedOn: '2026-01-01',
  });
  const projects = app.get(ProjectsService);
  const budget = app.get(BudgetService);
  const contracts = app.get(ContractsService);
  const ids: number[] = [];
  for (let i = 0; i < CONTRACTS; i++) {
    const p = await projects.propose(villager, {
      name: `bench ${i}`,
      category: 'infrastructure',
      location: 'x',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      responsibleUnit: 'x',
      responsiblePerson: 'x',
      tasks: 'x',
      fundScale: '400000.00',
      beneficiaryHouseholds: 1,
      poorHouseholds: 0,
      performanceTargets: ['x'],
      povertyMechanism: 'x',
    });
    await projects.transition(tf, p.id, 'review', 'bench');
    await publicityPassed(app.get(DataSource), p.id);
    await projects.transition(line, p.id, 'enter-library', 'bench');
    const { value: lineRow } = await budget.propose(maker, p.id, { allocationId: allocation.id, amount: '400000.00' });
    if (lineRow.state !== 'posted') throw new Error('bench budget line needs a signature: raise leader_signoff_threshold first');
    const c = await contracts.draft(maker, p.id, {
      title: `bench ${i}`,
      payee: { name: 'payee', type: 'company', bank: 'b', account: '00000002', taxId: BENCH_PAYEE_TAX_ID },
      amount: '400000.00',
      tender: { method: 'open', date: '2026-01-01', bidders: ['payee'], winner: 'payee' },
      letters: {
        countyToTownship: { reference: 'x', date: '2026-01-01' },
        townshipToVillage: { reference: 'y', date: '2026-01-01' },
        villageToContractor: { reference: 'z', date: '2026-01-01' },
      },
    });
    await contracts.sign(checker, c.id);
    ids.push(c.id);
  }
  return { maker, checker, line, township: tf, village: villager, contracts: ids };
}

/**
 * `payments`: PAYMENTS payments with 15% retention spread over 200 contracts (one project each, funded from one
 * allocation), WORKERS concurrent, through the payment service with every gate.
 */
export async function paymentsCase(app: INestApplication, total: number, workers: number): Promise<Figures> {
  const { maker, contracts: ids } = await benchWorld(app, 'pay');
  const payments = app.get(PaymentsService);
  const run = await drive(total, workers, async (i) => {
    await payments.pay(maker, ids[i % CONTRACTS], { amount: `${100 + (i % 900)}.${String(i % 100).padStart(2, '0')}`, payeeAccount: '00000002' });
  });
  return figures('contract.pay via service layer', total, run.seconds, run.latencies);
}
