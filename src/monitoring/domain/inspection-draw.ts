import { createHash } from 'node:crypto';

/**
 * The random pick of a joint inspection, reproducible by anyone holding the seed and the pool: each project is ranked
 * by SHA-256 of `seed:id` (hex, ascending) and the first `count` are drawn. The same ranking is one SQL expression,
 * `encode(sha256(convert_to(seed || ':' || id, 'UTF8')), 'hex')`, so an auditor can redraw it in the database too.
 */
export function drawProjects(seed: string, pool: readonly number[], count: number): number[] {
  return pool
    .map((id) => ({ id, rank: createHash('sha256').update(`${seed}:${id}`).digest('hex') }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.id - b.id))
    .slice(0, count)
    .map((p) => p.id);
}
