import { createHash } from 'node:crypto';
import { drawProjects } from './inspection-draw';

describe('the random pick of an inspection', () => {
  const pool = Array.from({ length: 50 }, (_, i) => i + 1);

  it('is the same for the same seed and pool, whatever the pool order', () => {
    const a = drawProjects('9f2c', pool, 5);
    expect(drawProjects('9f2c', [...pool].reverse(), 5)).toEqual(a);
    expect(new Set(a).size).toBe(5);
    expect(drawProjects('9f2d', pool, 5)).not.toEqual(a);
  });

  it('takes the lowest SHA-256 ranks of seed:id', () => {
    const ranks = pool.map((id) => [createHash('sha256').update(`s:${id}`).digest('hex'), id] as const).sort();
    expect(drawProjects('s', pool, 3)).toEqual(ranks.slice(0, 3).map(([, id]) => id));
  });

  it('draws the whole pool when asked for more', () => {
    expect(drawProjects('s', [3, 1, 2], 10).sort()).toEqual([1, 2, 3]);
  });
});
