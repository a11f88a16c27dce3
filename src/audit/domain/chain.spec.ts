import { ChainWalker, GENESIS_HASH, canonicalJson, eventHash } from './chain';

function chainOf(bodies: string[]) {
  let prev = GENESIS_HASH;
  return bodies.map((body, i) => {
    const seq = BigInt(i + 1);
    const hash = eventHash(seq, prev, body);
    const link = { seq, prevHash: prev, hash, body };
    prev = hash;
    return link;
  });
}

describe('audit chain', () => {
  const bodies = [{ b: 1, a: 'x' }, { amount: '1.00' }, { z: [3, 2, 1] }].map(canonicalJson);

  it('canonicalises keys in code-point order (RFC 8785)', () => {
    expect(canonicalJson({ b: 1, a: 'é', c: { y: null, x: true } })).toBe('{"a":"é","b":1,"c":{"x":true,"y":null}}');
  });

  it('accepts an intact chain and reports its head', () => {
    const links = chainOf(bodies);
    const walker = new ChainWalker();
    expect(links.map((l) => walker.check(l))).toEqual([null, null, null]);
    expect(walker.lastSeq).toBe(3n);
    expect(walker.headHash).toBe(links[2].hash);
  });

  it('names the fault of a changed body, a gap and a broken link', () => {
    const links = chainOf(bodies);
    const w1 = new ChainWalker();
    w1.check(links[0]);
    expect(w1.check({ ...links[1], body: canonicalJson({ amount: '2.00' }) })).toBe('hash');

    const w2 = new ChainWalker();
    w2.check(links[0]);
    expect(w2.check(links[2])).toBe('gap');

    const w3 = new ChainWalker();
    w3.check(links[0]);
    expect(w3.check({ ...links[1], prevHash: 'f'.repeat(64) })).toBe('prev_hash');
  });

  it('refuses a body that hashes right but is not canonical JSON', () => {
    const body = '{"b":1,"a":2}';
    const link = { seq: 1n, prevHash: GENESIS_HASH, hash: eventHash(1n, GENESIS_HASH, body), body };
    expect(new ChainWalker().check(link)).toBe('not_canonical');
  });
});
