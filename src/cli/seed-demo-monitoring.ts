import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Actor } from '../common/context';
import { formatMoney, money } from '../common/money';
import { ContractsService } from '../contracts/contracts.service';
import { col, selectRows } from '../database/rows';
import { FundsService } from '../funds/funds.service';
import { MonitoringRunner } from '../monitoring/monitoring-runner';
import { RelatedPartiesService } from '../monitoring/related-parties.service';

/**
 * What the monitoring page shows a newcomer, each for a reason a county would meet: an allocation received in March
 * and still not allocated (idle), the road contractor's account declared as an official's spouse's, more contracts of
 * the same contractor in the township that together reach the tender threshold, and 15% retention on construction
 * above the national cap; then one run of every detector.
 */
export async function seedMonitoring(
  app: INestApplicationContext,
  people: { finance: Actor; checker: Actor; admin: Actor },
  dedicatedAccountId: number,
  /** What marks the demo's rows as the demo's. */
  mark: string,
  print: (line: string) => void,
): Promise<void> {
  const ds = app.get(DataSource);
  await app.get(FundsService).registerAllocation(people.finance, {
    documentNumber: `鄂財農發〔2026〕31號${mark}`,
    issuingLevel: 'provincial',
    fundType: '少數民族發展資金',
    amount: '300000.00',
    permittedCategories: ['industry', 'infrastructure'],
    fiscalYear: 2026,
    dedicatedAccountId,
    receivedOn: '2026-03-01',
  });
  const [road] = await selectRows(
    ds,
    z.object({ payeeName: col.text, payeeAccount: col.text, payeeTaxId: col.text, townshipId: col.id, amount: col.money }),
    `SELECT c.payee_name, c.payee_account, c.payee_tax_id, v.parent_id AS township_id, c.amount
       FROM contracts c JOIN projects p ON p.id = c.project_id JOIN org_units v ON v.id = p.village_id ORDER BY c.id LIMIT 1`,
  );
  if (!road) return;
  await app.get(RelatedPartiesService).add(people.admin, {
    name: '陳麗',
    bankAccount: road.payeeAccount,
    relation: 'spouse',
    officialName: '王建國',
    office: '溫泉鎮一村村委會主任',
  });
  // Further roads of the same contractor in the township, each below the tender threshold and none tendered.
  const others = await selectRows(
    ds,
    z.object({ id: col.id, fundScale: col.money }),
    `SELECT p.id, p.fund_scale FROM projects p JOIN org_units v ON v.id = p.village_id
      WHERE v.parent_id = $1 AND p.category = 'infrastructure' AND p.fund_scale < 1000000
        AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.project_id = p.id)
      ORDER BY p.fund_scale DESC, p.id`,
    [road.townshipId],
  );
  const contracts = app.get(ContractsService);
  let total = money('0');
  for (const p of others) {
    if (total.gte('1000000.00')) break;
    const contract = await contracts.draft(people.finance, p.id, {
      title: '村組道路硬化工程',
      payee: { name: road.payeeName, type: 'company', bank: '湖北英山農村商業銀行', account: road.payeeAccount, taxId: road.payeeTaxId },
      amount: formatMoney(money(p.fundScale)),
      letters: {
        countyToTownship: { reference: '英扶責〔2026〕8號', date: '2026-04-01' },
        townshipToVillage: { reference: '溫扶責〔2026〕5號', date: '2026-04-05' },
        villageToContractor: { reference: '村責〔2026〕2號', date: '2026-04-08' },
      },
    });
    await contracts.sign(people.checker, contract.id);
    total = total.plus(p.fundScale);
  }
  const run = await app.get(MonitoringRunner).run(people.finance.county.id, { trigger: 'demand', requestedBy: people.finance.userId });
  const found = run!.detectors.filter((d) => d.opened > 0).map((d) => `${d.id} ${d.opened}`);
  print(`  monitoring: run ${run!.id} opened ${run!.opened} alerts (${found.join(', ')}); see /api/v1/monitoring/alerts`);
}
