import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Clock } from '../common/clock';
import { Actor, systemActor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { col, selectRows } from '../database/rows';
import { CountyService } from '../county/county.service';
import { sha256Of, UploadedScan } from '../common/uploads';
import { NoticeDocument } from './domain/notice-document';
import { NoticeRow, ObjectionRow, standingOf } from './notice-rows';
import { NoticesService, OBJECTION_SELECT } from './notices.service';
import { PublicNoticeView, VerifyView } from './public-notices.dto';

const CodeRow = z.object({ id: col.id, code: col.text });

/**
 * What anyone may read without logging in (公示 is public by definition): published notices only, with their frozen
 * figures, standing, objections and answers — never the objector's name or phone — and the PDF with its hash.
 */
@Injectable()
export class PublicNoticesService {
  constructor(
    private readonly ds: DataSource,
    private readonly notices: NoticesService,
    private readonly county: CountyService,
    private readonly clock: Clock,
  ) {}

  /** Who acts on the public page: nobody logged in. */
  get publicActor(): Actor {
    return { ...systemActor(this.county.county), actor: 'public' };
  }

  /** The county's notices still current: not superseded, running or ended within the last year, newest first. */
  async list(): Promise<PublicNoticeView[]> {
    const rows = await selectRows(
      this.ds,
      NoticeRow.pick({ code: true }),
      `SELECT code FROM notices n WHERE county_id = $1 AND state = 'published'
        AND NOT EXISTS (SELECT 1 FROM notices s WHERE s.supersedes_id = n.id AND s.state = 'published')
        AND ends_on >= ($2::date - 365) ORDER BY starts_on DESC, id DESC LIMIT 200`,
      [this.county.county.id, this.clock.today()],
    );
    return Promise.all(rows.map((r) => this.get(r.code)));
  }

  async get(code: string): Promise<PublicNoticeView> {
    const row = await this.notices.rowByCode(this.ds.manager, this.county.county.id, code);
    if (!row) throw new DomainError(ErrorCode.NotFound, `No published notice ${code}`);
    const objections = await selectRows(this.ds, ObjectionRow, `${OBJECTION_SELECT} WHERE notice_id = $1 ORDER BY id`, [row.id]);
    const related = await selectRows(this.ds, CodeRow, `SELECT id, code FROM notices WHERE id = ANY($1::int[])`, [
      [row.supersedesId, row.supersededById].filter((id) => id !== null),
    ]);
    const urlOf = (id: number | null) => (id === null ? null : this.notices.publicUrl(related.find((r) => r.id === id)!.code));
    const url = this.notices.publicUrl(row.code);
    return {
      code: row.code,
      kind: row.kind,
      standing: standingOf(row, objections, this.clock.today()),
      startsOn: row.startsOn!,
      endsOn: row.endsOn!,
      document: row.snapshot as NoticeDocument,
      objections: objections.map((o) => ({
        receivedOn: o.receivedOn,
        late: o.late,
        content: o.content,
        state: o.state,
        outcome: o.outcome,
        finding: o.finding,
      })),
      url,
      pdfUrl: `${url}/pdf`,
      verifyUrl: `${url}/verify`,
      objectionUrl: `${url}/objections`,
      pdfSha256: row.pdfSha256!,
      contentHash: row.contentHash!,
      supersedes: urlOf(row.supersedesId),
      supersededBy: urlOf(row.supersededById),
    };
  }

  async pdf(code: string): Promise<{ code: string; pdf: Buffer; sha256: string }> {
    const row = await this.notices.rowByCode(this.ds.manager, this.county.county.id, code);
    if (!row) throw new DomainError(ErrorCode.NotFound, `No published notice ${code}`);
    return this.notices.pdfOf(this.ds.manager, row.id, row.code);
  }

  /** Whether a file is byte for byte the published PDF: compared by SHA-256. */
  async verify(code: string, file: UploadedScan | undefined): Promise<VerifyView & { notice: PublicNoticeView }> {
    const notice = await this.get(code);
    if (!file) throw new DomainError(ErrorCode.ValidationFailed, 'Send the PDF as the form field "file"', { fields: [{ field: 'file', message: 'required' }] });
    const sha256 = await sha256Of(file);
    return { code, matches: sha256 === notice.pdfSha256, sha256, publishedSha256: notice.pdfSha256, notice };
  }
}
