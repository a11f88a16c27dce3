import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { Actor } from '../common/context';
import { col, selectRows } from '../database/rows';
import { canonicalJson } from './domain/chain';

const EventId = z.object({ id: col.int8 });

/**
 * Appends an event inside the caller's transaction, so the event exists exactly when the change does. The
 * event is written unsealed and takes no lock: the sealer links it into the county's chain after commit.
 */
@Injectable()
export class AuditLog {
  /** Appends the event; answers its id. */
  async append(em: EntityManager, actor: Actor, type: string, data: Record<string, unknown>, at = new Date()): Promise<string> {
    const { sql, params } = this.eventInsert(actor, type, data, at, 1);
    const [{ id }] = await selectRows(em, EventId, `${sql} RETURNING id`, params);
    return id;
  }

  /**
   * The event's INSERT with its parameters numbered from `firstParam`, for a caller that writes its change and
   * the event in one statement (as a CTE).
   */
  eventInsert(actor: Actor, type: string, data: Record<string, unknown>, at: Date, firstParam: number): { sql: string; params: unknown[] } {
    const body = canonicalJson({ type, county: actor.county.code, actor: actor.actor, at: at.toISOString(), data });
    const p = (i: number) => `$${firstParam + i}`;
    return {
      sql: `INSERT INTO audit_events (county_id, type, actor, recorded_at, body) VALUES (${p(0)}::int, ${p(1)}, ${p(2)}, ${p(3)}::timestamptz, ${p(4)})`,
      params: [actor.county.id, type, actor.actor, at, body],
    };
  }
}
