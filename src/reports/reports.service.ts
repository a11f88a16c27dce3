import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { inScope } from '../access/scope';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { ZERO, formatMoney } from '../common/money';
import { col, selectOne, selectRows } from '../database/rows';
import { AccountKind, PROJECT_BUDGET_KINDS } from '../ledger/domain/account-refs';
import { LedgerReadingService } from '../ledger/ledger-reading.service';
import { AllocationReport, CountyReportRow, ProjectReport } from './reports.views';

const AllocationRow = z.object({ id: col.id, documentNumber: col.text, fundType: col.text });
const ProjectRow = z.object({ id: col.id, name: col.text });
const AllocationYearRow = AllocationRow.extend({ fiscalYear: col.int });
const ProjectScopeRow = ProjectRow.extend({ category: col.text, state: col.text, path: col.text });
const FundGroupRow = z.object({ fiscalYear: col.int, fundType: col.text, ids: z.array(col.id) });

/**
 * 資金一本帳: every figure is a balance of the ledger's accounts, asked by dimension, never a second store. An
 * allocation's received is its fund, its available its unallocated quota; a project's allocated budget from a source is
 * what its project quota still holds plus what its contracts committed (claims' holds counted as committed) plus what
 * was spent; retention held is the project's contracts' retention. The county report's `allocated` is received −
 * available, which is the same sum.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly ds: DataSource,
    private readonly ledger: LedgerReadingService,
  ) {}

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

  county(actor: Actor, year?: number): Promise<CountyReportRow[]> {
    return this.snapshot((em) => this.countyIn(em, actor, year));
  }

  private async allocationIn(em: EntityManager, actor: Actor, id: number): Promise<AllocationReport> {
    const a = await selectOne(
      em,
      AllocationYearRow,
      `SELECT id, document_number, fund_type, fiscal_year FROM fund_allocations WHERE id = $1 AND county_id = $2`,
      [id, actor.county.id],
    );
    if (!a) throw new DomainError(ErrorCode.NotFound, `No fund allocation ${id}`);
    const balances = await this.ledger.balancesBy(em, actor.county.id, { kind: ['fund', 'quota_unallocated', ...PROJECT_BUDGET_KINDS], allocationId: id }, [
      'kind',
      'projectId',
    ]);
    const sum = (kinds: AccountKind[]) => balances.filter((b) => kinds.includes(b.kind)).reduce((s, b) => s.plus(b.balance), ZERO);
    const projectIds = balances.filter((b) => b.kind === 'quota_project').map((b) => b.projectId!);
    const projects = await selectRows(em, ProjectRow, `SELECT id, name FROM projects WHERE county_id = $1 AND id = ANY($2::int[]) ORDER BY id`, [
      actor.county.id,
      projectIds,
    ]);
    const allocatedTo = (projectId: number) => balances.filter((b) => b.projectId === projectId).reduce((s, b) => s.plus(b.balance), ZERO);
    const allocated = projects.reduce((s, p) => s.plus(allocatedTo(p.id)), ZERO);
    return {
      allocationId: a.id,
      documentNumber: a.documentNumber,
      fundType: a.fundType,
      fiscalYear: a.fiscalYear,
      received: formatMoney(sum(['fund'])),
      allocated: formatMoney(allocated),
      committed: formatMoney(sum(['quota_committed', 'quota_held'])),
      spent: formatMoney(sum(['quota_spent'])),
      available: formatMoney(sum(['quota_unallocated'])),
      projects: projects.map((p) => ({ projectId: p.id, name: p.name, allocated: formatMoney(allocatedTo(p.id)) })),
    };
  }

  private async projectIn(em: EntityManager, actor: Actor, id: number): Promise<ProjectReport> {
    const p = await selectOne(
      em,
      ProjectScopeRow,
      `SELECT p.id, p.name, p.category, p.state, o.path FROM projects p JOIN org_units o ON o.id = p.village_id WHERE p.id = $1 AND p.county_id = $2`,
      [id, actor.county.id],
    );
    if (!p || !inScope(actor, p.path)) throw new DomainError(ErrorCode.NotFound, `No project ${id}`);
    const balances = await this.ledger.balancesBy(em, actor.county.id, { kind: [...PROJECT_BUDGET_KINDS, 'retention'], projectId: id }, [
      'allocationId',
      'kind',
    ]);
    // Per source: what is still uncommitted on the project, what its contracts committed from it, and what was spent.
    const at = (allocationId: number, kinds: AccountKind[]) =>
      balances.filter((b) => b.allocationId === allocationId && kinds.includes(b.kind)).reduce((s, b) => s.plus(b.balance), ZERO);
    const sourceIds = balances.filter((b) => b.kind === 'quota_project').map((b) => b.allocationId!);
    const allocations = await selectRows(
      em,
      AllocationRow,
      `SELECT id, document_number, fund_type FROM fund_allocations WHERE county_id = $1 AND id = ANY($2::int[]) ORDER BY id`,
      [actor.county.id, sourceIds],
    );
    const sources = allocations.map((a) => ({
      allocation: a,
      available: at(a.id, ['quota_project']),
      committed: at(a.id, ['quota_committed', 'quota_held']),
      spent: at(a.id, ['quota_spent']),
    }));
    const total = (pick: (s: (typeof sources)[number]) => Decimal) => sources.reduce((s, r) => s.plus(pick(r)), ZERO);
    const [available, committed, spent] = [total((s) => s.available), total((s) => s.committed), total((s) => s.spent)];
    const retentionHeld = balances.filter((b) => b.kind === 'retention').reduce((s, b) => s.plus(b.balance), ZERO);
    return {
      projectId: p.id,
      name: p.name,
      category: p.category,
      state: p.state,
      budget: formatMoney(available.plus(committed).plus(spent)),
      committed: formatMoney(committed),
      spent: formatMoney(spent),
      retentionHeld: formatMoney(retentionHeld),
      available: formatMoney(available),
      sources: sources.map((s) => ({
        allocationId: s.allocation.id,
        documentNumber: s.allocation.documentNumber,
        fundType: s.allocation.fundType,
        allocated: formatMoney(s.available.plus(s.committed).plus(s.spent)),
      })),
    };
  }

  private async countyIn(em: EntityManager, actor: Actor, year?: number): Promise<CountyReportRow[]> {
    const groups = await selectRows(
      em,
      FundGroupRow,
      `SELECT fiscal_year, fund_type, array_agg(id) AS ids FROM fund_allocations
        WHERE county_id = $1 AND ($2::int IS NULL OR fiscal_year = $2)
        GROUP BY fiscal_year, fund_type ORDER BY fiscal_year, fund_type`,
      [actor.county.id, year ?? null],
    );
    const balances = await this.ledger.balancesBy(em, actor.county.id, { kind: ['fund', 'quota_unallocated'], allocationId: groups.flatMap((g) => g.ids) }, [
      'allocationId',
      'kind',
    ]);
    const sum = (ids: number[], kind: AccountKind) =>
      balances.filter((b) => b.kind === kind && ids.includes(b.allocationId!)).reduce((s, b) => s.plus(b.balance), ZERO);
    return groups.map((g) => {
      const received = sum(g.ids, 'fund');
      const available = sum(g.ids, 'quota_unallocated');
      return {
        fiscalYear: g.fiscalYear,
        fundType: g.fundType,
        allocations: g.ids.length,
        received: formatMoney(received),
        allocated: formatMoney(received.minus(available)),
        available: formatMoney(available),
      };
    });
  }
}
