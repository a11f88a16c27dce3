import { DataSource } from 'typeorm';
import { CountyCalendar1796148000000 } from '../../migrations/1796148000000-CountyCalendar';
import { CalendarService } from '../../src/calendar/calendar.service';
import { NATIONAL_2026, noticeExceptions } from '../../src/calendar/domain/national-2026';
import { createDataSource } from '../../src/database/data-source';
import { As, TestApp, createTestDatabase, startTestApp } from '../support/app';

/** The county calendar of working days: the national days, the questions, maker-checked changes, the database's guards. */
describe('county calendar', () => {
  let t: TestApp;
  let admin: As;
  let secondAdmin: As;
  let village: As;
  let auditor: As;
  let countyId: number;

  const userId = async (username: string): Promise<number> => (await t.ds.query(`SELECT id FROM users WHERE username = $1`, [username]))[0].id;
  const workingDay = async (from: string, days: number): Promise<string> =>
    (await village.get(`/api/v1/calendar/working-days?from=${from}&days=${days}`).expect(200)).body.date;
  /** What a refused request must leave as it was. */
  const state = async () =>
    (
      await t.ds.query(
        `SELECT (SELECT count(*)::int FROM calendar_days) AS days, (SELECT count(*)::int FROM calendar_changes) AS changes,
                (SELECT count(*)::int FROM calendar_changes WHERE state <> 'proposed') AS decided,
                (SELECT count(*)::int FROM audit_events WHERE type LIKE 'calendar.%') AS events`,
      )
    )[0];
  const propose = (who: As, body: object) => who.post('/api/v1/calendar/changes').send({ reason: '縣人民政府通知', ...body });

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.as('admin');
    secondAdmin = await t.as('calendar-admin', ['admin']);
    village = await t.as('calendar-village', ['village']);
    auditor = await t.as('calendar-auditor', ['auditor']);
    [{ id: countyId }] = await t.ds.query(`SELECT id FROM counties`);
    // Changes are for today or later: the tests live before the National Day week of 2026.
    t.clock.travelTo('2026-09-01');
  });
  afterAll(() => t.close());

  describe('the 2026 national days', () => {
    it('are loaded for a county created after the migration, exactly the notice’s departures from the default rule', async () => {
      const res = await village.get('/api/v1/calendar?year=2026').expect(200);
      expect(res.body).toEqual({ year: 2026, days: noticeExceptions(NATIONAL_2026).map((e) => ({ ...e, changeId: null })) });
      expect(res.body.days).toHaveLength(25);
      expect((await village.get('/api/v1/calendar').expect(200)).body.year).toBe(2026);
      expect((await village.get('/api/v1/calendar?year=2027').expect(200)).body).toEqual({ year: 2027, days: [] });
    });

    it('are loaded by the migration for every county that exists, and by its trigger for every county created later', async () => {
      const db = await createTestDatabase();
      const ds: DataSource = await createDataSource(db.url, 1).initialize();
      const runner = ds.createQueryRunner();
      const migration = new CountyCalendar1796148000000();
      const daysOf = async () =>
        runner.query(
          `SELECT c.code, count(d.day)::int AS days FROM counties c LEFT JOIN calendar_days d ON d.county_id = c.id GROUP BY c.code ORDER BY c.code`,
        );
      try {
        await migration.down(runner);
        await runner.query(`INSERT INTO counties (code, name) VALUES ('421122', '羅田縣'), ('421124', '英山縣')`);
        await migration.up(runner);
        await runner.query(`INSERT INTO counties (code, name) VALUES ('421125', '浠水縣')`);
        expect(await daysOf()).toEqual([
          { code: '421122', days: 25 },
          { code: '421124', days: 25 },
          { code: '421125', days: 25 },
        ]);
      } finally {
        await runner.release();
        await ds.destroy();
        await db.drop();
      }
    });
  });

  describe('working days', () => {
    it.each([
      ['2026-09-25', 20, '2026-10-29'],
      ['2026-09-18', 5, '2026-09-24'],
      ['2026-09-30', 1, '2026-10-08'],
      ['2026-10-03', 1, '2026-10-08'],
      ['2026-10-10', 1, '2026-10-12'],
      ['2026-10-01', 0, '2026-10-01'],
      ['2026-12-31', 1, '2027-01-01'],
    ])('%s + %i working days is %s over the National Day week (9-20 and 10-10 worked)', async (from, days, date) => {
      expect((await village.get(`/api/v1/calendar/working-days?from=${from}&days=${days}`).expect(200)).body).toEqual({ from, days, date });
    });

    it('are answered the same by CalendarService.addWorkingDays inside a unit of work', async () => {
      const service = t.app.get(CalendarService);
      const answers = await t.app
        .get(DataSource)
        .transaction((em) => Promise.all([service.addWorkingDays(em, countyId, '2026-09-25', 20), service.addWorkingDays(em, countyId, '2026-01-01', 250)]));
      expect(answers).toEqual(['2026-10-29', await workingDay('2026-01-01', 250)]);
    });
  });

  describe('changes', () => {
    it('a county holiday counts once a second admin approves it; its proposer can neither approve nor reject it', async () => {
      const proposal = await propose(admin, { day: '2026-10-12', action: 'set', kind: 'holiday', name: '縣慶' }).expect(201);
      expect(proposal.body).toMatchObject({ day: '2026-10-12', action: 'set', kind: 'holiday', name: '縣慶', state: 'proposed', decidedBy: null });
      expect(await workingDay('2026-09-25', 20)).toBe('2026-10-29');

      const before = await state();
      for (const step of ['approve', 'reject']) {
        const refused = await admin.post(`/api/v1/calendar/changes/${proposal.body.id}/${step}`).send(step === 'reject' ? { reason: 'x' } : {});
        expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'SAME_HAND' });
      }
      expect(await state()).toEqual(before);
      expect(await workingDay('2026-09-25', 20)).toBe('2026-10-29');

      const approved = await secondAdmin.post(`/api/v1/calendar/changes/${proposal.body.id}/approve`).expect(200);
      expect(approved.body).toMatchObject({ state: 'approved', proposedBy: await userId('admin'), decidedBy: await userId('calendar-admin') });
      expect(await workingDay('2026-09-25', 20)).toBe('2026-10-30');
      expect(await workingDay('2026-10-10', 1)).toBe('2026-10-13');
      const year = (await village.get('/api/v1/calendar?year=2026').expect(200)).body.days;
      expect(year.find((d: { day: string }) => d.day === '2026-10-12')).toEqual({
        day: '2026-10-12',
        kind: 'holiday',
        name: '縣慶',
        changeId: proposal.body.id,
      });
      expect((await secondAdmin.post(`/api/v1/calendar/changes/${proposal.body.id}/approve`).expect(409)).body.code).toBe('INVALID_STATE');

      // And back to the default rule, by the other hands.
      const removal = await propose(secondAdmin, { day: '2026-10-12', action: 'remove' }).expect(201);
      await admin.post(`/api/v1/calendar/changes/${removal.body.id}/approve`).expect(200);
      expect(await workingDay('2026-09-25', 20)).toBe('2026-10-29');

      const events = await t.ds.query(`SELECT type, actor, body::jsonb -> 'data' AS data FROM audit_events WHERE type LIKE 'calendar.%' ORDER BY id`);
      expect(events.map((e: { type: string; actor: string }) => [e.type, e.actor])).toEqual([
        ['calendar.change.proposed', 'admin'],
        ['calendar.change.approved', 'calendar-admin'],
        ['calendar.change.proposed', 'calendar-admin'],
        ['calendar.change.approved', 'admin'],
      ]);
      expect(events[1].data).toMatchObject({ id: proposal.body.id, day: '2026-10-12', state: 'approved', before: null });
      expect(events[3].data).toMatchObject({ id: removal.body.id, action: 'remove', before: { kind: 'holiday', name: '縣慶', changeId: proposal.body.id } });
      expect((await auditor.get('/api/v1/calendar/changes').expect(200)).body.map((c: { id: number; state: string }) => [c.id, c.state])).toEqual([
        [proposal.body.id, 'approved'],
        [removal.body.id, 'approved'],
      ]);
    });

    it('a rejected change writes nothing; a day has one pending change at a time; a change must change something', async () => {
      const proposal = await propose(secondAdmin, { day: '2026-10-17', action: 'set', kind: 'workday', name: '縣慶補班' }).expect(201);
      const second = await propose(admin, { day: '2026-10-17', action: 'set', kind: 'workday', name: '補班' }).expect(409);
      expect(second.body).toMatchObject({ code: 'INVALID_STATE', details: { changeId: proposal.body.id } });
      const rejected = await admin.post(`/api/v1/calendar/changes/${proposal.body.id}/reject`).send({ reason: '日期有誤' }).expect(200);
      expect(rejected.body).toMatchObject({ state: 'rejected', rejectionReason: '日期有誤', decidedBy: await userId('admin') });
      expect(await workingDay('2026-10-16', 1)).toBe('2026-10-19');
      expect((await admin.post(`/api/v1/calendar/changes/${proposal.body.id}/approve`).expect(409)).body.code).toBe('INVALID_STATE');

      const before = await state();
      expect((await propose(admin, { day: '2026-10-01', action: 'set', kind: 'holiday', name: '國慶節' }).expect(409)).body.code).toBe('INVALID_STATE');
      expect((await propose(admin, { day: '2026-10-19', action: 'remove' }).expect(409)).body.code).toBe('INVALID_STATE');
      expect((await admin.post('/api/v1/calendar/changes/999999/approve').expect(404)).body.code).toBe('NOT_FOUND');
      expect(await state()).toEqual(before);
    });

    it('a proposal whose day has passed by its approval is refused, and can still be rejected', async () => {
      const proposal = await propose(admin, { day: '2026-11-02', action: 'set', kind: 'holiday', name: '縣慶' }).expect(201);
      t.clock.travelTo('2026-11-03');
      try {
        const before = await state();
        expect((await secondAdmin.post(`/api/v1/calendar/changes/${proposal.body.id}/approve`).expect(409)).body.code).toBe('INVALID_STATE');
        expect(await state()).toEqual(before);
        await secondAdmin.post(`/api/v1/calendar/changes/${proposal.body.id}/reject`).send({ reason: '已過期' }).expect(200);
      } finally {
        t.clock.travelTo('2026-09-01');
      }
    });
  });

  describe('the database', () => {
    it('refuses a same-hand approval written directly in SQL, and every write of a day but an approval’s', async () => {
      const proposal = await propose(admin, { day: '2026-11-16', action: 'set', kind: 'holiday', name: '縣慶' }).expect(201);
      const before = await state();
      await expect(
        t.ds.query(`UPDATE calendar_changes SET state = 'approved', decided_by = proposed_by, decided_at = now() WHERE id = $1`, [proposal.body.id]),
      ).rejects.toMatchObject({ driverError: { code: 'FL013' } });
      await expect(
        t.ds.query(`UPDATE calendar_changes SET state = 'rejected', decided_by = proposed_by, decided_at = now(), rejection_reason = 'x' WHERE id = $1`, [
          proposal.body.id,
        ]),
      ).rejects.toMatchObject({ driverError: { code: 'FL013' } });
      const attacks: [string, unknown[], string][] = [
        [`INSERT INTO calendar_days (county_id, day, kind, name) VALUES ($1, '2026-11-16', 'holiday', '縣慶')`, [countyId], 'FL003'],
        [`UPDATE calendar_days SET name = 'x' WHERE county_id = $1`, [countyId], 'FL003'],
        [`DELETE FROM calendar_days WHERE county_id = $1`, [countyId], 'FL003'],
        [`UPDATE calendar_changes SET day = '2026-11-17', kind = 'holiday' WHERE county_id = $1`, [countyId], 'FL003'],
        [`DELETE FROM calendar_changes WHERE county_id = $1`, [countyId], 'FL003'],
        [
          `INSERT INTO calendar_changes (county_id, day, action, kind, name, reason, state, proposed_by, decided_by, decided_at)
           SELECT $1, '2026-11-18', 'set', 'holiday', 'x', 'x', 'approved', u.id, v.id, now() FROM users u, users v WHERE u.username = 'admin' AND v.username = 'calendar-admin'`,
          [countyId],
          'FL003',
        ],
        // A Saturday is a rest day already: not a departure from the default rule.
        [
          `INSERT INTO calendar_changes (county_id, day, action, kind, name, reason, state, proposed_by) SELECT $1, '2026-11-21', 'set', 'holiday', 'x', 'x', 'proposed', id FROM users WHERE username = 'admin'`,
          [countyId],
          '23514',
        ],
        [`TRUNCATE calendar_days`, [], 'FL003'],
      ];
      const codes = [];
      for (const [sql, params] of attacks)
        codes.push(
          await t.ds.query(sql, params).then(
            () => 'accepted',
            (err: { driverError?: { code: string } }) => err.driverError?.code,
          ),
        );
      expect(codes).toEqual(attacks.map(([, , code]) => code));
      expect(await state()).toEqual(before);

      await secondAdmin.post(`/api/v1/calendar/changes/${proposal.body.id}/approve`).expect(200);
      expect(await workingDay('2026-11-13', 1)).toBe('2026-11-17');
    });
  });

  describe('bad input', () => {
    it.each([
      ['a date that does not exist', 'post', { day: '2026-02-30', action: 'set', kind: 'holiday', name: 'x' }, 'day'],
      ['an unknown kind', 'post', { day: '2026-11-23', action: 'set', kind: 'vacation', name: 'x' }, 'kind'],
      ['an unknown action', 'post', { day: '2026-11-23', action: 'add', kind: 'holiday', name: 'x' }, 'action'],
      ['a set without a name', 'post', { day: '2026-11-23', action: 'set', kind: 'holiday' }, 'name'],
      ['a removal naming a kind', 'post', { day: '2026-10-01', action: 'remove', kind: 'holiday' }, 'kind'],
      ['a holiday on a Saturday', 'post', { day: '2026-11-21', action: 'set', kind: 'holiday', name: 'x' }, 'kind'],
      ['a worked Monday', 'post', { day: '2026-11-23', action: 'set', kind: 'workday', name: 'x' }, 'kind'],
      ['a day already passed', 'post', { day: '2026-08-31', action: 'set', kind: 'holiday', name: 'x' }, 'day'],
      ['an unknown field', 'post', { day: '2026-11-23', action: 'set', kind: 'holiday', name: 'x', countyId: 2 }, 'countyId'],
      ['a date that does not exist', 'get', '/api/v1/calendar/working-days?from=2026-02-30&days=20', 'from'],
      ['a negative number of days', 'get', '/api/v1/calendar/working-days?from=2026-09-25&days=-1', 'days'],
      ['a fraction of a day', 'get', '/api/v1/calendar/working-days?from=2026-09-25&days=1.5', 'days'],
      ['too many days', 'get', '/api/v1/calendar/working-days?from=2026-09-25&days=1001', 'days'],
      ['an answer past year 9999', 'get', '/api/v1/calendar/working-days?from=9999-12-30&days=5', 'days'],
      ['a year that is no number', 'get', '/api/v1/calendar?year=twenty', 'year'],
    ])('refuses %s (%s) with 400 on the field, changing nothing', async (_name, method, body, field) => {
      const before = await state();
      const res = method === 'post' ? await propose(admin, body as object) : await village.get(body as string);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(await state()).toEqual(before);
    });

    it('refuses a rejection without a reason', async () => {
      const proposal = await propose(admin, { day: '2026-11-30', action: 'set', kind: 'holiday', name: '縣慶' }).expect(201);
      const before = await state();
      const res = await secondAdmin.post(`/api/v1/calendar/changes/${proposal.body.id}/reject`).send({}).expect(400);
      expect(new Set(res.body.details.fields.map((f: { field: string }) => f.field))).toEqual(new Set(['reason']));
      expect(await state()).toEqual(before);
    });
  });
});
