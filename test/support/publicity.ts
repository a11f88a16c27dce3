import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { canonicalJson } from '../../src/audit/domain/chain';

const PDF = Buffer.from('%PDF-1.4\n% a notice published before the test began\n%%EOF\n');

/**
 * Publicity that passed long ago, written as the schema's owner: for tests of other workflows whose projects must be
 * in the library, under contract and complete. The publicity workflow itself (drafting, approval, periods,
 * objections, the gates) is tested over HTTP in test/e2e/publicity.e2e-spec.ts; these rows only stand in for a county
 * that published its notices last year, so the gates find them passed (period over, no objection), each with its
 * publication event.
 */
export async function publicityPassed(ds: DataSource, projectId: number, kinds: string[] = ['library', 'plan', 'completion']): Promise<void> {
  for (const kind of kinds) {
    await ds.transaction(async (em) => {
      const [n] = await em.query<{ id: number; drafted_by: number }[]>(
        `WITH p AS (SELECT county_id FROM projects WHERE id = $1)
         INSERT INTO notices (county_id, code, kind, publisher_unit_id, title, document_number, body, channels, formed_on, state, drafted_by)
         SELECT p.county_id, $2, $3, (SELECT o.id FROM org_units o WHERE o.county_id = p.county_id AND o.parent_id IS NULL),
                '歷年公示', '測〔2025〕1號', '歷年公示', ARRAY['portal'], DATE '2025-01-02', 'draft',
                (SELECT min(u.id) FROM users u WHERE u.county_id = p.county_id)
           FROM p RETURNING id, drafted_by`,
        [projectId, `T-2025-${randomBytes(5).toString('hex')}`, kind],
      );
      await em.query(`INSERT INTO notice_projects (notice_id, project_id) VALUES ($1, $2)`, [n.id, projectId]);
      const contentHash = randomBytes(32).toString('hex');
      const pdfSha256 = createHash('sha256').update(PDF).digest('hex');
      await em.query(
        `UPDATE notices SET state = 'published', approved_by = (SELECT min(u.id) FROM users u WHERE u.id > $2 AND u.county_id = (SELECT county_id FROM notices WHERE id = $1)), approved_at = now(),
                starts_on = DATE '2025-01-02', ends_on = DATE '2025-01-11', snapshot = '{}'::jsonb, content_hash = $3, pdf = $4, pdf_sha256 = $5
          WHERE id = $1`,
        [n.id, n.drafted_by, contentHash, PDF, pdfSha256],
      );
      // Its publication event, as the service writes one, so the verifier finds the PDF recorded.
      const [county] = await em.query<{ id: number; code: string }[]>(
        `SELECT c.id, c.code FROM counties c JOIN notices n ON n.county_id = c.id WHERE n.id = $1`,
        [n.id],
      );
      const at = new Date();
      const data = { noticeId: n.id, kind, startsOn: '2025-01-02', endsOn: '2025-01-11', contentHash, pdfSha256, supersedesId: null };
      await em.query(`INSERT INTO audit_events (county_id, type, actor, recorded_at, body) VALUES ($1, 'notice.published', 'test-fixture', $2, $3)`, [
        county.id,
        at,
        canonicalJson({ type: 'notice.published', county: county.code, actor: 'test-fixture', at: at.toISOString(), data }),
      ]);
    });
  }
}
