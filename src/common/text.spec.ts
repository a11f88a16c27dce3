import { truncate } from './text';

describe('truncate', () => {
  it('counts code points, as varchar(n) does, and never leaves half a surrogate pair', () => {
    const memo = `${'a'.repeat(495)}𠀀bbbb`;
    expect(memo.slice(0, 496)).toMatch(/[\uD800-\uDBFF]$/);
    expect(truncate(memo, 496)).toBe(`${'a'.repeat(495)}𠀀`);
    expect(Array.from(truncate(`${'𠀀'.repeat(600)}`, 500))).toHaveLength(500);
    expect(truncate('短', 500)).toBe('短');
  });
});
