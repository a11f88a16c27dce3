import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { canonicalJson } from '../audit/domain/chain';
import { Actor } from '../common/context';
import { invalidField } from '../common/errors';
import { ZERO, formatMoney, money } from '../common/money';
import { col, selectRows } from '../database/rows';
import { AccountRef, PROJECT_BUDGET_KINDS } from '../ledger/domain/account-refs';
import { LedgerReadingService } from '../ledger/ledger-reading.service';
import { NoticeDocument, NoticeKind } from './domain/notice-document';
import { NOTICE_KINDS } from './domain/notice-kinds';

/** What a notice says besides its figures: set by its drafter, fixed at approval. */
export interface NoticeFrame {
  code: string;
  kind: NoticeKind;
  title: string;
  publisher: string;
  documentNumber: string;
  startsOn: string;
  endsOn: string;
  body: string;
  phones: NoticeDocument['phones'];
  channels: string[];
  publicUrl: string;
  supersedes: string | null;
  approvedOn: string;
  projectIds: number[];
  allocationIds: number[];
}

const ProjectRow = z.object({
  id: col.id,
  name: col.text,
  location: col.text,
  tasks: col.text,
  startDate: col.date,
  endDate: col.date,
  responsibleUnit: col.text,
  responsiblePerson: col.text,
  povertyMechanism: col.text,
  performanceTargets: col.textArray,
  fundScale: col.money,
  contractors: col.textArray,
});

const AllocationRow = z.object({
  id: col.id,
  documentNumber: col.text,
  fundType: col.text,
  fiscalYear: col.id,
  permittedCategories: col.textArray,
});

const SourceRow = z.object({ id: col.id, documentNumber: col.text, fundType: col.text });

/**
 * Takes a notice's figures at approval (docs/publicity.md): the projects' texts from the project library, their money
 * from the ledger (budget = what the projects' quotas hold, committed and spent included; spent = what was paid), an
 * allocation's received and allocated amounts. The result is frozen in the notice and hashed.
 */
@Injectable()
export class NoticeSnapshot {
  constructor(private readonly ledger: LedgerReadingService) {}

  async take(em: EntityManager, actor: Actor, frame: NoticeFrame): Promise<NoticeDocument> {
    const def = NOTICE_KINDS[frame.kind];
    const taken = def.subject === 'projects' ? await this.projectRows(em, actor, frame.projectIds) : await this.allocationRows(em, actor, frame.allocationIds);
    if (frame.kind === 'plan') {
      const unbudgeted = taken.filter((r) => money(r.budget).isZero()).map((r) => r.name);
      if (unbudgeted.length) throw invalidField('projectIds', `a plan notice publishes budgets: no budget yet for ${unbudgeted.join('、')}`);
    }
    // The notice holds what its kind publishes, nothing more: its columns.
    const rows = taken.map((r) => Object.fromEntries(def.columns.map((c) => [c.key, r[c.key]])));
    const totals: Record<string, string> = {};
    for (const column of def.columns.filter((c) => c.type === 'money')) {
      totals[column.key] = formatMoney(rows.reduce((s, r) => s.plus(r[column.key]), ZERO));
    }
    const { projectIds: _p, allocationIds: _a, ...printed } = frame;
    const document: Omit<NoticeDocument, 'contentHash'> = { ...printed, columns: def.columns, rows, totals };
    return { ...document, contentHash: contentHashOf(document) };
  }

  private async projectRows(em: EntityManager, actor: Actor, ids: number[]): Promise<Record<string, string>[]> {
    const projects = await selectRows(
      em,
      ProjectRow,
      `SELECT p.id, p.name, p.location, p.tasks, p.start_date::text, p.end_date::text, p.responsible_unit, p.responsible_person,
              p.poverty_mechanism, p.performance_targets, p.fund_scale,
              ARRAY(SELECT DISTINCT c.payee_name FROM contracts c WHERE c.project_id = p.id AND c.state <> 'draft' ORDER BY c.payee_name) AS contractors
         FROM projects p WHERE p.county_id = $1 AND p.id = ANY($2::int[]) ORDER BY p.id`,
      [actor.county.id, ids],
    );
    const balances = await this.ledger.balancesBy(em, actor.county.id, { kind: PROJECT_BUDGET_KINDS, projectId: ids }, ['projectId', 'allocationId', 'kind']);
    const mine = (projectId: number) => balances.filter((b) => b.projectId === projectId);
    const sum = (list: typeof balances) => list.reduce((s, b) => s.plus(b.balance), ZERO);
    const sourceIds = [...new Set(balances.map((b) => b.allocationId!))];
    const sources = await selectRows(
      em,
      SourceRow,
      `SELECT id, document_number, fund_type FROM fund_allocations WHERE county_id = $1 AND id = ANY($2::int[])`,
      [actor.county.id, sourceIds],
    );
    return projects.map((p) => {
      const own = mine(p.id);
      const from = [...new Set(own.map((b) => b.allocationId!))].map((id) => sources.find((s) => s.id === id)!);
      return {
        name: p.name,
        location: p.location,
        tasks: p.tasks,
        period: `${p.startDate} 至 ${p.endDate}`,
        responsible: `${p.responsibleUnit} ${p.responsiblePerson}`,
        mechanism: p.povertyMechanism,
        targets: p.performanceTargets.join('；'),
        sources: from.map((s) => `${s.fundType}（${s.documentNumber}）`).join('；'),
        contractors: p.contractors.join('；'),
        fundScale: formatMoney(money(p.fundScale)),
        budget: formatMoney(sum(own)),
        spent: formatMoney(sum(own.filter((b) => b.kind === 'quota_spent'))),
      };
    });
  }

  private async allocationRows(em: EntityManager, actor: Actor, ids: number[]): Promise<Record<string, string>[]> {
    const allocations = await selectRows(
      em,
      AllocationRow,
      `SELECT id, document_number, fund_type, fiscal_year, permitted_categories FROM fund_allocations WHERE county_id = $1 AND id = ANY($2::int[]) ORDER BY id`,
      [actor.county.id, ids],
    );
    const balances = await this.ledger.balancesBy(em, actor.county.id, { kind: ['fund', ...PROJECT_BUDGET_KINDS], allocationId: ids }, [
      'allocationId',
      'kind',
    ]);
    const sum = (allocationId: number, kinds: readonly AccountRef['kind'][]) =>
      balances.filter((b) => b.allocationId === allocationId && kinds.includes(b.kind as AccountRef['kind'])).reduce((s, b) => s.plus(b.balance), ZERO);
    return allocations.map((a) => ({
      documentNumber: a.documentNumber,
      fundType: `${a.fundType}（${a.fiscalYear}年度）`,
      use: a.permittedCategories.join('、'),
      received: formatMoney(sum(a.id, ['fund'])),
      allocated: formatMoney(sum(a.id, PROJECT_BUDGET_KINDS)),
    }));
  }
}

/** SHA-256 of the notice's canonical JSON (RFC 8785): what the paper's check code and the public page name. */
export function contentHashOf(document: Omit<NoticeDocument, 'contentHash'>): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}
