import { z } from 'zod';
import { ORG_LEVELS } from '../access/domain/roles';
import { col } from '../database/rows';
import { CHANNELS, PUBLISHED_KINDS } from './domain/notice-kinds';
import { NoticeStanding, objectionsHolding } from './domain/publicity-gate';
import { NoticeView, ObjectionView } from './notices.dto';

export const NoticeRow = z.object({
  id: col.id,
  code: col.text,
  kind: z.enum(PUBLISHED_KINDS),
  publisherUnitId: col.id,
  publisher: col.text,
  publisherLevel: z.enum(ORG_LEVELS),
  publisherPath: col.text,
  title: col.text,
  documentNumber: col.text,
  body: col.text,
  channels: z.array(z.enum(CHANNELS)),
  formedOn: col.date,
  supersedesId: col.id.nullable(),
  supersededById: col.id.nullable(),
  state: z.enum(['draft', 'published']),
  draftedBy: col.id,
  drafter: col.text,
  approvedBy: col.id.nullable(),
  approver: col.text.nullable(),
  startsOn: col.date.nullable(),
  endsOn: col.date.nullable(),
  snapshot: col.json,
  contentHash: col.text.nullable(),
  pdfSha256: col.text.nullable(),
  projectIds: z.array(col.id),
  allocationIds: z.array(col.id),
});
export type NoticeRow = z.infer<typeof NoticeRow>;

export const ObjectionRow = z.object({
  id: col.id,
  noticeId: col.id,
  channel: col.text,
  name: col.text.nullable(),
  phone: col.text.nullable(),
  content: col.text,
  receivedOn: col.date,
  late: col.bool,
  state: z.enum(['received', 'investigating', 'answered']),
  outcome: z.enum(['upheld', 'dismissed']).nullable(),
  finding: col.text.nullable(),
  answeredAt: col.timestamp.nullable(),
});
export type ObjectionRow = z.infer<typeof ObjectionRow>;

/** A published notice as the gate weighs it: its period, whether it is replaced, its objections that hold it. */
export function standingFacts(row: NoticeRow, objections: readonly ObjectionRow[]): NoticeStanding {
  return {
    code: row.code,
    startsOn: row.startsOn!,
    endsOn: row.endsOn!,
    superseded: row.supersededById !== null,
    ...objectionsHolding(objections),
  };
}

/** Where a notice stands today, in the gate's terms. */
export function standingOf(row: NoticeRow, objections: readonly ObjectionRow[], today: string): NoticeView['standing'] {
  if (row.state === 'draft') return 'draft';
  const facts = standingFacts(row, objections);
  if (facts.superseded) return 'superseded';
  if (facts.upheldObjections > 0) return 'objection_upheld';
  if (facts.openObjections > 0) return 'objection_open';
  return facts.endsOn < today ? 'passed' : 'running';
}

/** An objection as staff read it: who objected only for the publishing unit that handles it. */
export function objectionView(o: ObjectionRow, showContacts: boolean): ObjectionView {
  return { ...o, name: showContacts ? o.name : null, phone: showContacts ? o.phone : null, answeredAt: o.answeredAt?.toISOString() ?? null };
}

export function noticeView(row: NoticeRow, objections: readonly ObjectionRow[], today: string, publicUrl: string, showContacts: boolean): NoticeView {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    state: row.state,
    standing: standingOf(row, objections, today),
    title: row.title,
    documentNumber: row.documentNumber,
    body: row.body,
    channels: row.channels,
    formedOn: row.formedOn,
    publisherUnitId: row.publisherUnitId,
    publisher: row.publisher,
    projectIds: row.projectIds,
    allocationIds: row.allocationIds,
    supersedesId: row.supersedesId,
    supersededById: row.supersededById,
    draftedBy: row.drafter,
    approvedBy: row.approver,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    contentHash: row.contentHash,
    pdfSha256: row.pdfSha256,
    publicUrl,
    document: row.snapshot,
    objections: objections.map((o) => objectionView(o, showContacts)),
  };
}
