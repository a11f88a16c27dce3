import { DataSource, EntityManager } from 'typeorm';
import { CalendarService } from '../../src/calendar/calendar.service';
import { LedgerReadingService } from '../../src/ledger/ledger-reading.service';
import { Finding } from '../../src/monitoring/domain/detector';
import { detectorById } from '../../src/monitoring/detectors';
import { PoliciesService } from '../../src/policies/policies.service';
import { TestApp } from './app';

/**
 * What one detector finds today (the service's clock), read as the service reads: in a county (default the first), in
 * a snapshot of its own or inside a caller's unit of work (`em`: it sees what that unit wrote and has not committed).
 */
export async function detect(t: TestApp, id: string, options: { countyId?: number; em?: EntityManager } = {}): Promise<Finding[]> {
  const detector = detectorById(id);
  if (!detector) throw new Error(`no detector ${id}`);
  const countyId = options.countyId ?? (await t.ds.query<{ id: number }[]>(`SELECT id FROM counties ORDER BY id LIMIT 1`))[0].id;
  const today = t.clock.today();
  const inUnit = async (em: EntityManager) =>
    detector.detect({
      em,
      countyId,
      today,
      policy: await t.app.get(PoliciesService).valuesInForce(em, countyId, today),
      ledger: t.app.get(LedgerReadingService),
      calendar: t.app.get(CalendarService),
    });
  return options.em ? inUnit(options.em) : t.app.get(DataSource).transaction('REPEATABLE READ', inUnit);
}

/** The findings of a detector about one subject type, by subject id. */
export async function findingsBySubject(t: TestApp, id: string): Promise<Map<string, Finding>> {
  return new Map((await detect(t, id)).map((f) => [f.subjectId, f]));
}
