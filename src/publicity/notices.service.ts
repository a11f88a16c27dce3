import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { assertNewHand } from '../access/domain/maker-checker';
import { ORG_LEVELS, OrgLevel } from '../access/domain/roles';
import { inScope } from '../access/scope';
import { AuditLog } from '../audit/audit-log';
import { addDays } from '../calendar/domain/working-days';
import { Clock } from '../common/clock';
import { Actor } from '../common/context';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { z } from 'zod';
import { IdRow, col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { PoliciesService } from '../policies/policies.service';
import { NoticeDocument, NoticeKind } from './domain/notice-document';
import { CHANNEL_NAMES, NOTICE_KINDS, PUBLISHING_ROLES } from './domain/notice-kinds';
import { periodEnd } from './domain/publicity-gate';
import { UnprintableText, renderNoticePdf } from './notice-pdf';
import { NoticeRow, ObjectionRow, noticeView } from './notice-rows';
import { NoticeSnapshot } from './notice-snapshot';
import { ApproveNoticeDto, DraftNoticeDto, NoticeQueryDto, NoticeView } from './notices.dto';

const StoredPdf = z.object({ pdf: col.bytes, pdfSha256: col.text });
const CurrentRow = z.object({ code: col.text, subjectId: col.id });
/** A notice starts on the day of its approval or within this many days after. */
const LATEST_START_DAYS = 30;

interface PublishingUnit {
  id: number;
  path: string;
  level: OrgLevel;
}

/** What a notice publishes and what it corrects. */
interface Subjects {
  kind: NoticeKind;
  projectIds: number[];
  allocationIds: number[];
  supersedesId: number | null;
}

function subjectsOf(dto: DraftNoticeDto): Subjects {
  return { kind: dto.kind, projectIds: dto.projectIds ?? [], allocationIds: dto.allocationIds ?? [], supersedesId: dto.supersedesId ?? null };
}

function unitOf(row: NoticeRow): PublishingUnit {
  return { id: row.publisherUnitId, path: row.publisherPath, level: row.publisherLevel };
}

/**
 * Only people of the publishing unit, holding a role that publishes at its level, draft and approve its notices and
 * handle its objections (誰分配、誰使用、誰公開).
 */
export function isPublisherOf(actor: Actor, notice: Pick<NoticeRow, 'publisherUnitId' | 'publisherLevel'>): boolean {
  const roles: readonly string[] = PUBLISHING_ROLES[notice.publisherLevel];
  return actor.orgUnit?.id === notice.publisherUnitId && actor.roles.some((r) => roles.includes(r));
}

const UnitRow = z.object({ id: col.id, name: col.text, level: z.enum(ORG_LEVELS) });

export const NOTICE_SELECT = `
  SELECT n.id, n.code, n.kind, n.publisher_unit_id, u.name AS publisher, u.level AS publisher_level, u.path AS publisher_path,
         n.title, n.document_number, n.body, n.channels, n.formed_on::text, n.supersedes_id,
         (SELECT s.id FROM notices s WHERE s.supersedes_id = n.id AND s.state = 'published' ORDER BY s.id LIMIT 1) AS superseded_by_id,
         n.state, n.drafted_by, d.username AS drafter, n.approved_by, a.username AS approver, n.starts_on::text, n.ends_on::text,
         n.snapshot, n.content_hash, n.pdf_sha256,
         ARRAY(SELECT project_id FROM notice_projects WHERE notice_id = n.id ORDER BY project_id) AS project_ids,
         ARRAY(SELECT allocation_id FROM notice_allocations WHERE notice_id = n.id ORDER BY allocation_id) AS allocation_ids
    FROM notices n
    JOIN org_units u ON u.id = n.publisher_unit_id
    JOIN users d ON d.id = n.drafted_by
    LEFT JOIN users a ON a.id = n.approved_by`;

export const OBJECTION_SELECT = `
  SELECT id, notice_id, channel, name, phone, content, received_on::text, late, state, outcome, finding, answered_at
    FROM notice_objections`;

/**
 * Publicity notices (公示制, docs/publicity.md): a person of the publishing unit drafts, another of the same unit
 * approves, which takes the figures from the ledger and the project library, freezes them with their hash, renders the
 * PDF and starts the period the policy in force that day sets. Objections are in ObjectionsService; the gates other
 * workflows pass are in PublicityGates.
 */
@Injectable()
export class NoticesService {
  constructor(
    private readonly ds: DataSource,
    private readonly snapshot: NoticeSnapshot,
    private readonly policies: PoliciesService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly config: ConfigService,
  ) {}

  async draft(actor: Actor, dto: DraftNoticeDto): Promise<NoticeView> {
    return inTransaction(this.ds, async (em) => {
      const unit = await this.publishingUnit(em, actor);
      this.assertFormed(dto.formedOn);
      await this.assertPublishable(em, actor, { id: unit.id, path: actor.orgUnit!.path, level: unit.level }, subjectsOf(dto), false);
      const [{ id }] = await selectRows(em, IdRow, `SELECT nextval(pg_get_serial_sequence('notices', 'id'))::int AS id`);
      const code = `${actor.county.code}-${this.clock.today().slice(0, 4)}-${String(id).padStart(4, '0')}`;
      const title = dto.title ?? `${unit.name}${NOTICE_KINDS[dto.kind].name}`;
      const body = dto.body ?? defaultBody(dto.kind, unit.name);
      await em.query(
        `INSERT INTO notices (id, county_id, code, kind, publisher_unit_id, title, document_number, body, channels, formed_on, supersedes_id, state, drafted_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12)`,
        [id, actor.county.id, code, dto.kind, unit.id, title, dto.documentNumber, body, dto.channels, dto.formedOn, dto.supersedesId ?? null, actor.userId],
      );
      await this.setSubjects(em, id, dto);
      await this.audit.append(em, actor, 'notice.drafted', {
        noticeId: id,
        code,
        kind: dto.kind,
        publisherUnitId: unit.id,
        projectIds: dto.projectIds ?? [],
        allocationIds: dto.allocationIds ?? [],
        supersedesId: dto.supersedesId ?? null,
      });
      return this.viewIn(em, actor, id);
    });
  }

  /** Corrects a draft: its texts, channels and subjects; the kind and the publishing unit stay. */
  async update(actor: Actor, id: number, dto: DraftNoticeDto): Promise<NoticeView> {
    return inTransaction(this.ds, async (em) => {
      const row = await this.row(em, actor, id, true);
      this.assertPublisher(actor, row);
      if (row.state !== 'draft') throw new DomainError(ErrorCode.InvalidState, `Notice ${row.code} is published: a change needs a new notice superseding it`);
      if (dto.kind !== row.kind) throw invalidField('kind', `the notice is a ${row.kind} notice; draft a new one for another kind`);
      this.assertFormed(dto.formedOn);
      await this.assertPublishable(em, actor, unitOf(row), subjectsOf(dto), false);
      await em.query(`UPDATE notices SET title = $2, document_number = $3, body = $4, channels = $5, formed_on = $6, supersedes_id = $7 WHERE id = $1`, [
        id,
        dto.title ?? row.title,
        dto.documentNumber,
        dto.body ?? row.body,
        dto.channels,
        dto.formedOn,
        dto.supersedesId ?? null,
      ]);
      await em.query(`DELETE FROM notice_projects WHERE notice_id = $1`, [id]);
      await em.query(`DELETE FROM notice_allocations WHERE notice_id = $1`, [id]);
      await this.setSubjects(em, id, dto);
      await this.audit.append(em, actor, 'notice.corrected', {
        noticeId: id,
        code: row.code,
        title: dto.title ?? row.title,
        documentNumber: dto.documentNumber,
        body: dto.body ?? row.body,
        channels: dto.channels,
        formedOn: dto.formedOn,
        supersedesId: dto.supersedesId ?? null,
        projectIds: dto.projectIds ?? [],
        allocationIds: dto.allocationIds ?? [],
      });
      return this.viewIn(em, actor, id);
    });
  }

  /**
   * Approval publishes: the figures are taken now and frozen, the period starts today (or the later day asked) and
   * lasts the minimum days of the policy in force today; the PDF is rendered once and its hash recorded in the event.
   */
  async approve(actor: Actor, id: number, dto: ApproveNoticeDto): Promise<NoticeView> {
    return inTransaction(this.ds, async (em) => {
      const row = await this.row(em, actor, id, true);
      this.assertPublisher(actor, row);
      if (row.state !== 'draft') throw new DomainError(ErrorCode.InvalidState, `Notice ${row.code} is already published`);
      assertNewHand([{ step: 'draft', userId: row.draftedBy }], { step: 'approve', userId: actor.userId! });
      const today = this.clock.today();
      const startsOn = dto.startsOn ?? today;
      if (startsOn < today) throw invalidField('startsOn', 'a notice cannot start in the past');
      if (startsOn > addDays(today, LATEST_START_DAYS)) throw invalidField('startsOn', `a notice starts within ${LATEST_START_DAYS} days of its approval`);
      // Approvals of one kind in a county take turns, so two notices cannot both become current for one project.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`notice-approval:${actor.county.id}:${row.kind}`]);
      await this.assertPublishable(
        em,
        actor,
        unitOf(row),
        { kind: row.kind, projectIds: row.projectIds, allocationIds: row.allocationIds, supersedesId: row.supersedesId },
        true,
      );
      const policy = (await this.policies.inForce(em, actor, today)).values;
      const endsOn = periodEnd(startsOn, Number(policy.publicity_min_days.value));
      const supersedes = row.supersedesId === null ? null : (await this.row(em, actor, row.supersedesId, false)).code;
      const document = await this.snapshot.take(em, actor, {
        code: row.code,
        kind: row.kind,
        title: row.title,
        publisher: row.publisher,
        documentNumber: row.documentNumber,
        startsOn,
        endsOn,
        body: row.body,
        phones: phonesOf(policy.supervision_phone.value),
        channels: row.channels.map((c) => CHANNEL_NAMES[c]),
        publicUrl: this.publicUrl(row.code),
        supersedes,
        approvedOn: today,
        projectIds: row.projectIds,
        allocationIds: row.allocationIds,
      });
      const pdf = await renderNoticePdf(document).catch((err: unknown) => {
        if (err instanceof UnprintableText) {
          throw new DomainError(ErrorCode.UnprintableText, `${err.message}: correct the notice or the project's texts`, { characters: err.characters });
        }
        throw err;
      });
      const pdfSha256 = createHash('sha256').update(pdf).digest('hex');
      await em.query(
        `UPDATE notices SET state = 'published', approved_by = $2, approved_at = now(), starts_on = $3, ends_on = $4, snapshot = $5,
                content_hash = $6, pdf = $7, pdf_sha256 = $8
          WHERE id = $1`,
        [id, actor.userId, startsOn, endsOn, JSON.stringify(document), document.contentHash, pdf, pdfSha256],
      );
      await this.audit.append(em, actor, 'notice.published', {
        noticeId: id,
        code: row.code,
        kind: row.kind,
        startsOn,
        endsOn,
        minDays: policy.publicity_min_days.value,
        contentHash: document.contentHash,
        pdfSha256,
        supersedesId: row.supersedesId,
      });
      return this.viewIn(em, actor, id);
    });
  }

  async get(actor: Actor, id: number): Promise<NoticeView> {
    return this.viewIn(this.ds.manager, actor, id);
  }

  async list(actor: Actor, q: NoticeQueryDto): Promise<NoticeView[]> {
    const rows = await selectRows(
      this.ds,
      NoticeRow,
      `${NOTICE_SELECT} WHERE n.county_id = $1 AND ($2::text IS NULL OR n.state = $2) AND ($3::text IS NULL OR n.kind = $3) ORDER BY n.id DESC LIMIT 500`,
      [actor.county.id, q.state ?? null, q.kind ?? null],
    );
    const visible = rows.filter((r) => r.state === 'published' || inScope(actor, r.publisherPath));
    const objections = await selectRows(this.ds, ObjectionRow, `${OBJECTION_SELECT} WHERE notice_id = ANY($1::int[]) ORDER BY id`, [visible.map((r) => r.id)]);
    const today = this.clock.today();
    return visible.map((r) =>
      noticeView(
        r,
        objections.filter((o) => o.noticeId === r.id),
        today,
        this.publicUrl(r.code),
        this.isPublisher(actor, r),
      ),
    );
  }

  /** The PDF of a published notice, as approved. */
  async pdf(actor: Actor, id: number): Promise<{ code: string; pdf: Buffer; sha256: string }> {
    const row = await this.row(this.ds.manager, actor, id, false);
    return this.pdfOf(this.ds.manager, row.id, row.code);
  }

  async pdfOf(em: EntityManager, id: number, code: string): Promise<{ code: string; pdf: Buffer; sha256: string }> {
    const found = await selectOne(em, StoredPdf, `SELECT pdf, pdf_sha256 FROM notices WHERE id = $1 AND state = 'published'`, [id]);
    if (!found) throw new DomainError(ErrorCode.NotFound, `Notice ${code} has no PDF until it is published`);
    return { code, pdf: found.pdf, sha256: found.pdfSha256 };
  }

  publicUrl(code: string): string {
    const base = this.config.get<string>('PUBLIC_BASE_URL') ?? `http://localhost:${this.config.get<number>('PORT') ?? 3000}`;
    return `${base.replace(/\/+$/, '')}/public/notices/${encodeURIComponent(code)}`;
  }

  async row(em: EntityManager, actor: Actor, id: number, lock: boolean): Promise<NoticeRow> {
    const row = await selectOne(em, NoticeRow, `${NOTICE_SELECT} WHERE n.id = $1 AND n.county_id = $2 ${lock ? 'FOR UPDATE OF n' : ''}`, [id, actor.county.id]);
    // Drafts are seen by their unit's subtree and county-wide roles; published notices by everyone.
    if (!row || (row.state === 'draft' && !inScope(actor, row.publisherPath))) throw new DomainError(ErrorCode.NotFound, `No notice ${id}`);
    return row;
  }

  async rowByCode(em: EntityManager, countyId: number, code: string): Promise<NoticeRow | undefined> {
    return selectOne(em, NoticeRow, `${NOTICE_SELECT} WHERE n.code = $1 AND n.county_id = $2 AND n.state = 'published'`, [code, countyId]);
  }

  private async viewIn(em: EntityManager, actor: Actor, id: number): Promise<NoticeView> {
    const row = await this.row(em, actor, id, false);
    const objections = await selectRows(em, ObjectionRow, `${OBJECTION_SELECT} WHERE notice_id = $1 ORDER BY id`, [id]);
    return noticeView(row, objections, this.clock.today(), this.publicUrl(row.code), this.isPublisher(actor, row));
  }

  /** The actor's unit, when they hold a role that publishes at its level (誰分配、誰使用、誰公開). */
  private async publishingUnit(em: EntityManager, actor: Actor): Promise<{ id: number; name: string; level: OrgLevel }> {
    const unit = actor.orgUnit && (await selectOne(em, UnitRow, `SELECT id, name, level FROM org_units WHERE id = $1`, [actor.orgUnit.id]));
    if (!unit) throw new DomainError(ErrorCode.ForbiddenRole, 'Notices are published by a county, township or village unit');
    if (!actor.roles.some((r) => (PUBLISHING_ROLES[unit.level] as readonly string[]).includes(r))) {
      throw new DomainError(ErrorCode.ForbiddenRole, `A ${unit.level} unit's notices are drafted and approved by ${PUBLISHING_ROLES[unit.level].join(' or ')}`);
    }
    return unit;
  }

  /**
   * Only people of the publishing unit, holding a role that publishes at its level, draft and approve its notices and
   * handle its objections; only they see who objected.
   */
  isPublisher(actor: Actor, row: NoticeRow): boolean {
    return isPublisherOf(actor, row);
  }

  assertPublisher(actor: Actor, row: NoticeRow): void {
    if (!this.isPublisher(actor, row)) {
      throw new DomainError(
        ErrorCode.ForbiddenRole,
        `Notice ${row.code} is handled by ${PUBLISHING_ROLES[row.publisherLevel].join(' or ')} of ${row.publisher}`,
      );
    }
  }

  private assertFormed(formedOn: string): void {
    if (formedOn > this.clock.today()) throw invalidField('formedOn', 'the information cannot be formed in the future');
  }

  /**
   * What a notice may publish: subjects of its kind, of the publishing unit, in a state the kind publishes; at most one
   * current notice of a kind names a subject, so a second one must supersede the first (whose subjects it names again);
   * a correction replaces a notice of its own unit and kind, once.
   */
  private async assertPublishable(em: EntityManager, actor: Actor, unit: PublishingUnit, n: Subjects, approving: boolean): Promise<void> {
    const def = NOTICE_KINDS[n.kind];
    const [wanted, other] = def.subject === 'projects' ? (['projectIds', 'allocationIds'] as const) : (['allocationIds', 'projectIds'] as const);
    if (n[wanted].length === 0) throw invalidField(wanted, `a ${n.kind} notice names at least one ${def.subject === 'projects' ? 'project' : 'allocation'}`);
    if (n[other].length > 0) throw invalidField(other, `a ${n.kind} notice names ${def.subject} only`);
    if (def.subject === 'projects') {
      const found = await selectRows(
        em,
        IdRow,
        `SELECT p.id FROM projects p JOIN org_units o ON o.id = p.village_id
          WHERE p.county_id = $1 AND p.id = ANY($2::int[]) AND p.state = ANY($3::text[]) AND o.path LIKE $4 || '%'`,
        [actor.county.id, n.projectIds, def.projectStates, unit.path],
      );
      const missing = n.projectIds.filter((id) => !found.some((f) => f.id === id));
      if (missing.length) throw invalidField('projectIds', `no project ${missing.join(', ')} of the unit that is ${def.projectStates.join(' or ')}`);
    } else {
      if (unit.level !== 'county') throw invalidField('allocationIds', 'fund allocations are published by the county that allocates them');
      const found = await selectRows(em, IdRow, `SELECT id FROM fund_allocations WHERE county_id = $1 AND id = ANY($2::int[])`, [
        actor.county.id,
        n.allocationIds,
      ]);
      const missing = n.allocationIds.filter((id) => !found.some((f) => f.id === id));
      if (missing.length) throw invalidField('allocationIds', `no fund allocation ${missing.join(', ')}`);
    }
    if (n.supersedesId !== null) {
      const target = await selectOne(em, NoticeRow, `${NOTICE_SELECT} WHERE n.id = $1 AND n.county_id = $2 ${approving ? 'FOR UPDATE OF n' : ''}`, [
        n.supersedesId,
        actor.county.id,
      ]);
      if (!target || target.state !== 'published') throw invalidField('supersedesId', `no published notice ${n.supersedesId}`);
      if (target.kind !== n.kind) throw invalidField('supersedesId', `notice ${target.code} is a ${target.kind} notice, not ${n.kind}`);
      if (target.publisherUnitId !== unit.id) throw invalidField('supersedesId', `notice ${target.code} is ${target.publisher}'s to correct`);
      if (target.supersededById !== null) throw invalidField('supersedesId', `notice ${target.code} is already superseded`);
      const dropped = [...target.projectIds.filter((id) => !n.projectIds.includes(id)), ...target.allocationIds.filter((id) => !n.allocationIds.includes(id))];
      if (dropped.length) throw invalidField(wanted, `a correction names again everything notice ${target.code} published (missing ${dropped.join(', ')})`);
    }
    const current = await selectRows(
      em,
      CurrentRow,
      `SELECT n.code, s.subject_id FROM notices n
         JOIN (SELECT notice_id, project_id AS subject_id FROM notice_projects WHERE $1 = 'projects' AND project_id = ANY($2::int[])
               UNION ALL SELECT notice_id, allocation_id FROM notice_allocations WHERE $1 = 'allocations' AND allocation_id = ANY($2::int[])) s
           ON s.notice_id = n.id
        WHERE n.county_id = $3 AND n.kind = $4 AND n.state = 'published' AND n.id IS DISTINCT FROM $5
          AND NOT EXISTS (SELECT 1 FROM notices c WHERE c.supersedes_id = n.id AND c.state = 'published')
        ORDER BY s.subject_id`,
      [def.subject, n[wanted], actor.county.id, n.kind, n.supersedesId],
    );
    if (current.length) {
      throw invalidField(
        'supersedesId',
        `already published: ${current.map((c) => `${c.subjectId} in notice ${c.code}`).join(', ')}; a new notice supersedes the current one`,
      );
    }
  }

  private async setSubjects(em: EntityManager, id: number, dto: DraftNoticeDto): Promise<void> {
    if (dto.projectIds?.length) {
      await em.query(`INSERT INTO notice_projects (notice_id, project_id) SELECT $1, unnest($2::int[])`, [id, dto.projectIds]);
    }
    if (dto.allocationIds?.length) {
      await em.query(`INSERT INTO notice_allocations (notice_id, allocation_id) SELECT $1, unnest($2::int[])`, [id, dto.allocationIds]);
    }
  }
}

function defaultBody(kind: NoticeKind, publisher: string): string {
  return (
    `根據財政扶貧項目資金公告公示制度的規定，現將${NOTICE_KINDS[kind].name.replace(/公示$/, '')}有關情況予以公示，接受社會監督。` +
    `公示期間，如有異議，請以書面、電話或來訪形式向${publisher}反映，也可撥打監督電話，或掃描二維碼在公示頁面提出。`
  );
}

/** 12317, the national poverty-alleviation supervision line, and the county's own number when it has one. */
function phonesOf(countyPhone: string): NoticeDocument['phones'] {
  const phones = [{ label: '全國扶貧監督舉報電話', number: '12317' }];
  if (countyPhone !== '12317') phones.push({ label: '縣級監督電話', number: countyPhone });
  return phones;
}
