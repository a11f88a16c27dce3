import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
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
import { NOTICE_SELECT, NoticesService, OBJECTION_SELECT } from './notices.service';
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
    private readonly config: ConfigService,
  ) {}

  /** Who acts on the public page: nobody logged in. */
  get publicActor(): Actor {
    return { ...systemActor(this.county.county), actor: 'public' };
  }

  /** The county's notices still current: not superseded, running or ended within the last year, newest first. */
  async list(): Promise<PublicNoticeView[]> {
    const rows = await selectRows(
      this.ds,
      NoticeRow,
      `${NOTICE_SELECT} WHERE n.county_id = $1 AND n.state = 'published'
          AND NOT EXISTS (SELECT 1 FROM notices s WHERE s.supersedes_id = n.id AND s.state = 'published')
          AND n.ends_on >= ($2::date - 365)
        ORDER BY n.starts_on DESC, n.id DESC LIMIT 200`,
      [this.county.county.id, this.clock.today()],
    );
    return this.views(rows);
  }

  async get(code: string): Promise<PublicNoticeView> {
    const row = await this.notices.rowByCode(this.ds.manager, this.county.county.id, code);
    if (!row) throw new DomainError(ErrorCode.NotFound, `No published notice ${code}`);
    const [view] = await this.views([row]);
    return view;
  }

  /** The county's name, heading its list of notices. */
  get countyName(): string {
    return this.config.getOrThrow<string>('COUNTY_NAME');
  }

  /** Published notices as the public reads them: their objections and neighbours in one query each. */
  private async views(rows: NoticeRow[]): Promise<PublicNoticeView[]> {
    const objections = await selectRows(this.ds, ObjectionRow, `${OBJECTION_SELECT} WHERE notice_id = ANY($1::int[]) ORDER BY id`, [rows.map((r) => r.id)]);
    const related = await selectRows(this.ds, CodeRow, `SELECT id, code FROM notices WHERE id = ANY($1::int[])`, [
      rows.flatMap((r) => [r.supersedesId, r.supersededById]).filter((id) => id !== null),
    ]);
    const codeOf = (id: number | null) => (id === null ? null : related.find((r) => r.id === id)!.code);
    const today = this.clock.today();
    return rows.map((row) => {
      const own = objections.filter((o) => o.noticeId === row.id);
      const url = this.notices.publicUrl(row.code);
      const [supersedes, supersededBy] = [codeOf(row.supersedesId), codeOf(row.supersededById)];
      return {
        code: row.code,
        kind: row.kind,
        standing: standingOf(row, own, today),
        startsOn: row.startsOn!,
        endsOn: row.endsOn!,
        document: row.snapshot as NoticeDocument,
        objections: own.map((o) => ({ receivedOn: o.receivedOn, late: o.late, content: o.content, state: o.state, outcome: o.outcome, finding: o.finding })),
        url,
        pdfUrl: `${url}/pdf`,
        verifyUrl: `${url}/verify`,
        objectionUrl: `${url}/objections`,
        pdfSha256: row.pdfSha256!,
        contentHash: row.contentHash!,
        supersedes: supersedes && this.notices.publicUrl(supersedes),
        supersedesCode: supersedes,
        supersededBy: supersededBy && this.notices.publicUrl(supersededBy),
        supersededByCode: supersededBy,
      };
    });
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
