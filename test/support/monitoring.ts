import { DataSource } from 'typeorm';
import { CalendarService } from '../../src/calendar/calendar.service';
import { LedgerReadingService } from '../../src/ledger/ledger-reading.service';
import { Finding } from '../../src/monitoring/domain/detector';
import { detectorById } from '../../src/monitoring/detectors';
import { PoliciesService } from '../../src/policies/policies.service';
import { TestApp } from './app';

/** What one detector finds in the test's county today (the service's clock), read as the service reads. */
export async function detect(t: TestApp, id: string): Promise<Finding[]> {
  const detector = detectorById(id);
  if (!detector) throw new Error(`no detector ${id}`);
  const [{ id: countyId }] = await t.ds.query<{ id: number }[]>(`SELECT id FROM counties ORDER BY id LIMIT 1`);
  const today = t.clock.today();
  return t.app.get(DataSource).transaction('REPEATABLE READ', async (em) =>
    detector.detect({
      em,
      countyId,
      today,
      policy: await t.app.get(PoliciesService).valuesInForce(em, countyId, today),
      ledger: t.app.get(LedgerReadingService),
      calendar: t.app.get(CalendarService),
    }),
  );
}

/** The findings of a detector about one subject type, by subject id. */
export async function findingsBySubject(t: TestApp, id: string): Promise<Map<string, Finding>> {
  return new Map((await detect(t, id)).map((f) => [f.subjectId, f]));
}
