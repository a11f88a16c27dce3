import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { inScope } from '../access/scope';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { ZERO, formatMoney, money } from '../common/money';
import { AllocationReport, CountyReportRow, ProjectReport } from './reports.views';

/**
 * 資金一本帳: every figure is a balance of the ledger's accounts (fund:A, quota:unallocated:A, quota:project:P:A,
 * quota:committed:C:A, and the claims' holds quota:held:C:K:A counted as committed), never a second store. An
 * allocation's or project's allocated budget is what its project quota accounts still hold plus what contracts committed from them plus what was spent (quota:spent:P:A); retention held
 * is the balance of the project's contracts' retention:C:A accounts. The county report's `allocated` is
 * received − available, which is the same sum.
 */
@Injectable()
export class ReportsService {
  constructor(private readonly ds: DataSource) {}

  /** One consistent snapshot per report, so a posting between two of its reads cannot tear a total. */
  private snapshot<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction('REPEATABLE READ', work);
  }

  allocation(actor: Actor, id: number): Promise<AllocationReport> {
    return this.snapshot((em) => this.allocationIn(em, actor, id));
  }

  project(actor: Actor, id: number): Promise<ProjectReport> {
    return this.snapshot((em) => this.projectIn(em, actor, id));
  }

  private async allocationIn(em: EntityManager, actor: Actor, id: number): Promise<AllocationReport> {
    const [a] = await em.query(
      `SELECT f.id, f.document_number, f.fund_type, f.fiscal_year, fund.balance AS received, quota.balance AS available
         FROM fund_allocations f
         JOIN ledger_accounts fund ON fund.county_id = f.county_id AND fund.code = 'fund:A' || f.id
         JOIN ledger_accounts quota ON quota.county_id = f.county_id AND quota.code = 'quota:unallocated:A' || f.id
        WHERE f.id = $1 AND f.county_id = $2`,
      [id, actor.county.id],
    );
    if (!a) throw new DomainError(ErrorCode.NotFound, `No fund allocation ${id}`);
    const projects: { project_id: number; name: string; allocated: string }[] = await em.query(
      `SELECT p.id AS project_id, p.name,
              acc.balance + coalesce((SELECT sum(ca.balance) FROM contracts c
                                        JOIN ledger_accounts ca ON ca.county_id = c.county_id AND (ca.code = 'quota:committed:C' || c.id || ':A' || $1::int OR ca.code LIKE 'quota:held:C' || c.id || ':K%:A' || $1::int)
                                       WHERE c.project_id = p.id), 0)
                          + coalesce((SELECT sp.balance FROM ledger_accounts sp
                                       WHERE sp.county_id = p.county_id AND sp.code = 'quota:spent:P' || p.id || ':A' || $1::int), 0) AS allocated
         FROM projects p JOIN ledger_accounts acc ON acc.county_id = p.county_id AND acc.code = 'quota:project:P' || p.id || ':A' || $1::int
        WHERE p.county_id = $2 ORDER BY p.id`,
      [id, actor.county.id],
    );
    const [{ committed }] = await em.query(
      `SELECT coalesce(sum(acc.balance), 0) AS committed
         FROM contracts c JOIN ledger_accounts acc ON acc.county_id = c.county_id AND (acc.code = 'quota:committed:C' || c.id || ':A' || $1::int OR acc.code LIKE 'quota:held:C' || c.id || ':K%:A' || $1::int)
        WHERE c.county_id = $2`,
      [id, actor.county.id],
    );
    const [{ spent }] = await em.query(
      `SELECT coalesce(sum(sp.balance), 0) AS spent FROM projects p
         JOIN ledger_accounts sp ON sp.county_id = p.county_id AND sp.code = 'quota:spent:P' || p.id || ':A' || $1::int
        WHERE p.county_id = $2`,
      [id, actor.county.id],
    );
    const allocated = projects.reduce((s, p) => s.plus(p.allocated), ZERO);
    return {
      allocationId: a.id,
      documentNumber: a.document_number,
      fundType: a.fund_type,
      fiscalYear: a.fiscal_year,
      received: fmt(a.received),
      allocated: formatMoney(allocated),
      committed: fmt(committed),
      spent: fmt(spent),
      available: fmt(a.available),
      projects: projects.map((p) => ({ projectId: p.project_id, name: p.name, allocated: fmt(p.allocated) })),
    };
  }

  private async projectIn(em: EntityManager, actor: Actor, id: number): Promise<ProjectReport> {
    const [p] = await em.query(
      `SELECT p.id, p.name, p.category, p.state, o.path FROM projects p JOIN org_units o ON o.id = p.village_id WHERE p.id = $1 AND p.county_id = $2`,
      [id, actor.county.id],
    );
    if (!p || !inScope(actor, p.path)) throw new DomainError(ErrorCode.NotFound, `No project ${id}`);
    // Per source: what is still uncommitted on the project, and what its contracts committed from that source.
    const sources: { allocation_id: number; document_number: string; fund_type: string; available: string; committed: string; spent: string }[] = await em.query(
      `SELECT f.id AS allocation_id, f.document_number, f.fund_type, acc.balance AS available,
              coalesce((SELECT sum(ca.balance) FROM contracts c
                          JOIN ledger_accounts ca ON ca.county_id = c.county_id AND (ca.code = 'quota:committed:C' || c.id || ':A' || f.id OR ca.code LIKE 'quota:held:C' || c.id || ':K%:A' || f.id)
                         WHERE c.project_id = $1), 0) AS committed,
              coalesce((SELECT sp.balance FROM ledger_accounts sp
                         WHERE sp.county_id = f.county_id AND sp.code = 'quota:spent:P' || $1::int || ':A' || f.id), 0) AS spent
         FROM fund_allocations f JOIN ledger_accounts acc ON acc.county_id = f.county_id AND acc.code = 'quota:project:P' || $1::int || ':A' || f.id
        WHERE f.county_id = $2 ORDER BY f.id`,
      [id, actor.county.id],
    );
    const available = sources.reduce((s, r) => s.plus(r.available), ZERO);
    const committed = sources.reduce((s, r) => s.plus(r.committed), ZERO);
    const spent = sources.reduce((s, r) => s.plus(r.spent), ZERO);
    const [{ held }] = await em.query(
      `SELECT coalesce(sum(r.balance), 0) AS held FROM contracts c
         JOIN ledger_accounts r ON r.county_id = c.county_id AND r.code LIKE 'retention:C' || c.id || ':A%'
        WHERE c.project_id = $1`,
      [id],
    );
    return {
      projectId: p.id,
      name: p.name,
      category: p.category,
      state: p.state,
      budget: formatMoney(available.plus(committed).plus(spent)),
      committed: formatMoney(committed),
      spent: formatMoney(spent),
      retentionHeld: fmt(held),
      available: formatMoney(available),
      sources: sources.map((s) => ({
        allocationId: s.allocation_id,
        documentNumber: s.document_number,
        fundType: s.fund_type,
        allocated: formatMoney(money(s.available).plus(s.committed).plus(s.spent)),
      })),
    };
  }

  async county(actor: Actor, year?: number): Promise<CountyReportRow[]> {
    const rows: { fiscal_year: number; fund_type: string; received: string; available: string; allocations: number }[] = await this.ds.query(
      `SELECT f.fiscal_year, f.fund_type, sum(fund.balance) AS received, sum(quota.balance) AS available, count(*)::int AS allocations
         FROM fund_allocations f
         JOIN ledger_accounts fund ON fund.county_id = f.county_id AND fund.code = 'fund:A' || f.id
         JOIN ledger_accounts quota ON quota.county_id = f.county_id AND quota.code = 'quota:unallocated:A' || f.id
        WHERE f.county_id = $1 AND ($2::int IS NULL OR f.fiscal_year = $2)
        GROUP BY f.fiscal_year, f.fund_type ORDER BY f.fiscal_year, f.fund_type`,
      [actor.county.id, year ?? null],
    );
    return rows.map((r) => ({
      fiscalYear: r.fiscal_year,
      fundType: r.fund_type,
      allocations: r.allocations,
      received: fmt(r.received),
      allocated: formatMoney(money(r.received).minus(r.available)),
      available: fmt(r.available),
    }));
  }
}

function fmt(value: string): string {
  return formatMoney(money(value));
}
