import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { Clock } from '../common/clock';
import { Actor } from '../common/context';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { z } from 'zod';
import { col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { objectionView, ObjectionRow } from './notice-rows';
import { NoticesService, OBJECTION_SELECT } from './notices.service';
import { AnswerObjectionDto, ObjectionView, PublicObjectionDto, RecordObjectionDto } from './notices.dto';

const Arrived = z.object({ id: col.id, late: col.bool });

/**
 * Objections (異議) to a published notice: taken down by the publishing unit from a call, letter or visit, or sent by
 * anyone on the public page; received → investigating → answered (upheld or dismissed, with the finding), and the
 * answer shows on the notice's public page. One received after the last day is recorded and marked late: it is
 * answered like the others but does not hold the period open (an upheld one still blocks, late or not).
 */
@Injectable()
export class ObjectionsService {
  constructor(
    private readonly ds: DataSource,
    private readonly notices: NoticesService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async record(actor: Actor, noticeId: number, dto: RecordObjectionDto): Promise<ObjectionView> {
    return inTransaction(this.ds, async (em) => {
      const notice = await this.notices.row(em, actor, noticeId, true);
      this.notices.assertPublisher(actor, notice);
      const receivedOn = dto.receivedOn ?? this.clock.today();
      if (receivedOn > this.clock.today()) throw invalidField('receivedOn', 'an objection cannot be received in the future');
      return this.insert(em, actor, notice.id, notice.state, notice.startsOn, { ...dto, receivedOn });
    });
  }

  /** From the public page: no login; name and phone optional and never shown. */
  async submitPublic(actor: Actor, code: string, dto: PublicObjectionDto): Promise<ObjectionView> {
    return inTransaction(this.ds, async (em) => {
      const notice = await this.notices.rowByCode(em, actor.county.id, code);
      if (!notice) throw new DomainError(ErrorCode.NotFound, `No published notice ${code}`);
      const view = await this.insert(em, actor, notice.id, notice.state, notice.startsOn, {
        channel: 'public',
        content: dto.content,
        name: dto.name,
        phone: dto.phone,
        receivedOn: this.clock.today(),
      });
      return { ...view, name: null, phone: null };
    });
  }

  async investigate(actor: Actor, noticeId: number, id: number): Promise<ObjectionView> {
    return inTransaction(this.ds, async (em) => {
      const o = await this.row(em, actor, noticeId, id);
      if (o.state !== 'received') throw new DomainError(ErrorCode.InvalidState, `Objection ${id} is ${o.state}`);
      await em.query(`UPDATE notice_objections SET state = 'investigating', investigated_by = $2 WHERE id = $1`, [id, actor.userId]);
      await this.audit.append(em, actor, 'notice.objection.investigating', { noticeId, objectionId: id });
      return this.viewIn(em, id);
    });
  }

  async answer(actor: Actor, noticeId: number, id: number, dto: AnswerObjectionDto): Promise<ObjectionView> {
    return inTransaction(this.ds, async (em) => {
      const o = await this.row(em, actor, noticeId, id);
      if (o.state === 'answered') throw new DomainError(ErrorCode.InvalidState, `Objection ${id} is already answered`);
      await em.query(
        `UPDATE notice_objections SET state = 'answered', outcome = $2, finding = $3, answered_by = $4, answered_at = now(),
                investigated_by = coalesce(investigated_by, $4)
          WHERE id = $1`,
        [id, dto.outcome, dto.finding, actor.userId],
      );
      await this.audit.append(em, actor, 'notice.objection.answered', { noticeId, objectionId: id, outcome: dto.outcome, finding: dto.finding });
      return this.viewIn(em, id);
    });
  }

  private async insert(
    em: EntityManager,
    actor: Actor,
    noticeId: number,
    state: string,
    startsOn: string | null,
    o: { channel: string; content: string; name?: string; phone?: string; receivedOn: string },
  ): Promise<ObjectionView> {
    if (state !== 'published' || startsOn === null) {
      throw new DomainError(ErrorCode.InvalidState, 'Objections are taken on a published notice');
    }
    if (o.receivedOn < startsOn) throw invalidField('receivedOn', `the notice's period starts on ${startsOn}`);
    // Whether it is late the database says, from the notice's last day (notice_objections_arrive).
    const [{ id, late }] = await selectRows(
      em,
      Arrived,
      `INSERT INTO notice_objections (county_id, notice_id, channel, name, phone, content, received_on, state, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'received', $8) RETURNING id, late`,
      [actor.county.id, noticeId, o.channel, o.name ?? null, o.phone ?? null, o.content, o.receivedOn, actor.userId],
    );
    // The event says what was objected to and when, not who: names and phones stay in the row.
    await this.audit.append(em, actor, 'notice.objection.received', { noticeId, objectionId: id, channel: o.channel, receivedOn: o.receivedOn, late });
    return this.viewIn(em, id);
  }

  private async row(em: EntityManager, actor: Actor, noticeId: number, id: number): Promise<ObjectionRow> {
    const notice = await this.notices.row(em, actor, noticeId, false);
    this.notices.assertPublisher(actor, notice);
    const o = await selectOne(em, ObjectionRow, `${OBJECTION_SELECT} WHERE id = $1 AND notice_id = $2 FOR UPDATE`, [id, noticeId]);
    if (!o) throw new DomainError(ErrorCode.NotFound, `No objection ${id} on notice ${noticeId}`);
    return o;
  }

  /** Every caller here is the publishing unit (or the public, whose answer drops the contacts): contacts shown. */
  private async viewIn(em: EntityManager, id: number): Promise<ObjectionView> {
    return objectionView((await selectOne(em, ObjectionRow, `${OBJECTION_SELECT} WHERE id = $1`, [id]))!, true);
  }
}
