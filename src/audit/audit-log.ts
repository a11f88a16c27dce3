import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../common/context';
import { canonicalJson } from './domain/chain';

export interface AppendedEvent {
  seq: string;
  hash: string;
}

/**
 * Appends events to the county's hash chain inside the caller's transaction. The database assigns seq,
 * prev_hash and hash (trigger `audit_events_link`), so an event cannot be written out of chain.
 */
@Injectable()
export class AuditLog {
  /**
   * Must be the last statement of the unit of work: it runs the deferred checks first, then takes the chain's
   * row lock, which is held until commit, so a county's postings queue only for the insert and the commit.
   */
  async append(em: EntityManager, actor: Actor, type: string, data: Record<string, unknown>, at = new Date()): Promise<AppendedEvent> {
    await em.query('SET CONSTRAINTS ALL IMMEDIATE');
    const body = canonicalJson({ type, county: actor.county.code, actor: actor.actor, at: at.toISOString(), data });
    const rows: AppendedEvent[] = await em.query(
      `INSERT INTO audit_events (county_id, type, actor, recorded_at, body) VALUES ($1, $2, $3, $4, $5) RETURNING seq, hash`,
      [actor.county.id, type, actor.actor, at, body],
    );
    return rows[0];
  }
}
