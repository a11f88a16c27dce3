import fc from 'fast-check';
import { createHash } from 'node:crypto';
import {
  EMPTY_ROOT,
  Frontier,
  ProofBuilder,
  consistencyProof,
  consistencySpans,
  inclusionProof,
  inclusionSpans,
  leafHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './merkle';
import { LEAF_INPUTS, ROOTS as VECTOR_ROOTS } from '../../../test/support/rfc6962-vectors';

const hex = (h: string) => Buffer.from(h, 'hex');
const hexes = (list: Buffer[]) => list.map((b) => b.toString('hex'));

/**
 * The RFC 6962 test tree of Google's certificate-transparency and transparency-dev/merkle (testonly/constants.go,
 * cmd/proofgen): eight raw leaf inputs, the roots of their first 1..8 leaves, and proofs between them. Those vectors
 * hash raw inputs; the tree here takes leaf hashes, so the leaves are hashed the RFC's way first.
 */
const LEAVES = LEAF_INPUTS.map((input) =>
  createHash('sha256')
    .update(Buffer.from([0x00]))
    .update(hex(input))
    .digest(),
);
/** The roots of the first 1…8 leaves. */
const ROOTS = VECTOR_ROOTS.slice(1);
/** Leaf index (0-based here; the source counts from 1), tree size, proof. */
const INCLUSION: [number, number, string[]][] = [
  [0, 1, []],
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    1,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];
/** First size, second size, proof. */
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
  [
    6,
    7,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
];

/** Random 32-byte "event hashes" as leaves: a tree of `n`. */
const leavesOf = (n: number, seed: number): Buffer[] =>
  Array.from({ length: n }, (_, i) => leafHash(createHash('sha256').update(`event ${seed} ${i}`).digest()));

describe('the RFC 6962 tree (test vectors)', () => {
  it('has SHA-256 of nothing as the empty root, and the vectors’ leaf hashes', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(rootOf([]).equals(EMPTY_ROOT)).toBe(true);
    expect(LEAVES[0].toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(LEAVES[7].toString('hex')).toBe('46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1');
  });

  it('hashes an event as a leaf behind 0x00, and refuses anything but 32 bytes', () => {
    const event = createHash('sha256').update('an event').digest();
    expect(
      leafHash(event).equals(
        createHash('sha256')
          .update(Buffer.concat([Buffer.from([0]), event]))
          .digest(),
      ),
    ).toBe(true);
    expect(() => leafHash(Buffer.from(event.toString('hex')))).toThrow(RangeError);
  });

  it.each(ROOTS.map((root, i) => [i + 1, root] as const))('gives the root of the first %i leaves', (size, root) => {
    expect(rootOf(LEAVES.slice(0, size)).toString('hex')).toBe(root);
  });

  it('grows a frontier leaf by leaf to every root, and restores it from its hashes', () => {
    let frontier = Frontier.empty();
    LEAVES.forEach((leaf, i) => {
      frontier.append(leaf);
      expect(frontier.root().toString('hex')).toBe(ROOTS[i]);
      frontier = Frontier.restore(frontier.size, frontier.hashes);
    });
    expect(hexes([...frontier.hashes])).toEqual([ROOTS[7]]);
    expect(() => Frontier.restore(3, [LEAVES[0]])).toThrow(RangeError);
  });

  it.each(INCLUSION)('proves leaf %i in a tree of %i', (index, size, proof) => {
    const leaves = LEAVES.slice(0, size);
    expect(hexes(inclusionProof(leaves, index))).toEqual(proof);
    expect(verifyInclusion(index, size, LEAVES[index], proof.map(hex), hex(ROOTS[size - 1]))).toBe(true);
  });

  it.each(CONSISTENCY)('proves a tree of %i a prefix of one of %i', (first, second, proof) => {
    expect(hexes(consistencyProof(LEAVES.slice(0, second), first))).toEqual(proof);
    expect(verifyConsistency(first, second, hex(ROOTS[first - 1]), hex(ROOTS[second - 1]), proof.map(hex))).toBe(true);
  });

  it('refuses the vectors’ proofs with a wrong index, size, leaf, root or element', () => {
    const proof = INCLUSION[2][2].map(hex);
    const root = hex(ROOTS[7]);
    expect(verifyInclusion(4, 8, LEAVES[5], proof, root)).toBe(false);
    expect(verifyInclusion(5, 16, LEAVES[5], proof, root)).toBe(false);
    expect(verifyInclusion(5, 8, LEAVES[4], proof, root)).toBe(false);
    expect(verifyInclusion(5, 8, LEAVES[5], proof, EMPTY_ROOT)).toBe(false);
    expect(verifyInclusion(5, 8, LEAVES[5], [...proof, root], root)).toBe(false);
    expect(verifyInclusion(5, 8, LEAVES[5], proof.slice(1), root)).toBe(false);
    expect(verifyInclusion(8, 8, LEAVES[5], proof, root)).toBe(false);
    const consistency = CONSISTENCY[2][2].map(hex);
    expect(verifyConsistency(6, 8, hex(ROOTS[4]), root, consistency)).toBe(false);
    expect(verifyConsistency(6, 8, hex(ROOTS[5]), hex(ROOTS[6]), consistency)).toBe(false);
    expect(verifyConsistency(5, 8, hex(ROOTS[4]), root, consistency)).toBe(false);
    expect(verifyConsistency(6, 8, hex(ROOTS[5]), root, [])).toBe(false);
    expect(verifyConsistency(8, 6, root, hex(ROOTS[5]), consistency)).toBe(false);
    expect(verifyConsistency(8, 8, root, root, consistency)).toBe(false);
    expect(verifyConsistency(0, 8, EMPTY_ROOT, root, [])).toBe(true);
  });
});

describe('proofs over random trees (properties)', () => {
  const sizes = fc.integer({ min: 1, max: 300 });

  it('every inclusion proof verifies, built in memory or from a stream of leaves, and a tampered one does not', () => {
    fc.assert(
      fc.property(sizes, fc.nat(), fc.nat(), fc.nat({ max: 255 }), (size, at, seed, bit) => {
        const leaves = leavesOf(size, seed);
        const index = at % size;
        const root = rootOf(leaves);
        const proof = inclusionProof(leaves, index);
        const builder = new ProofBuilder(inclusionSpans(index, size), [size]);
        leaves.forEach((leaf) => builder.push(leaf));
        expect(hexes(builder.proof())).toEqual(hexes(proof));
        expect(builder.rootAt(size).equals(root)).toBe(true);
        expect(verifyInclusion(index, size, leaves[index], proof, root)).toBe(true);
        // Another leaf, another position, or one flipped bit anywhere in the proof: refused.
        if (size > 1) {
          expect(verifyInclusion(index, size, leaves[(index + 1) % size], proof, root)).toBe(false);
          expect(verifyInclusion((index + 1) % size, size, leaves[index], proof, root)).toBe(false);
          const tampered = proof.map((p) => Buffer.from(p));
          const which = bit % tampered.length;
          tampered[which][bit % 32] ^= 1 << (bit % 8);
          expect(verifyInclusion(index, size, leaves[index], tampered, root)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('every consistency proof verifies, built in memory or from a stream of leaves, and a tampered one does not', () => {
    fc.assert(
      fc.property(sizes, sizes, fc.nat(), fc.nat({ max: 255 }), (a, b, seed, bit) => {
        const [first, second] = a <= b ? [a, b] : [b, a];
        const leaves = leavesOf(second, seed);
        const firstRoot = rootOf(leaves.slice(0, first));
        const secondRoot = rootOf(leaves);
        const proof = consistencyProof(leaves, first);
        const builder = new ProofBuilder(consistencySpans(first, second), [first, second]);
        leaves.forEach((leaf) => builder.push(leaf));
        expect(hexes(builder.proof())).toEqual(hexes(proof));
        expect(builder.rootAt(first).equals(firstRoot) && builder.rootAt(second).equals(secondRoot)).toBe(true);
        expect(verifyConsistency(first, second, firstRoot, secondRoot, proof)).toBe(true);
        if (first < second) {
          const tampered = proof.map((p) => Buffer.from(p));
          tampered[bit % tampered.length][bit % 32] ^= 1 << (bit % 8);
          expect(verifyConsistency(first, second, firstRoot, secondRoot, tampered)).toBe(false);
          // A history rewritten before `first`: the old root no longer fits the new tree.
          const rewritten = [...leaves];
          rewritten[bit % first] = leafHash(createHash('sha256').update('rewritten').digest());
          expect(verifyConsistency(first, second, firstRoot, rootOf(rewritten), consistencyProof(rewritten, first))).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a frontier restored mid-way and extended gives the root of the whole tree', () => {
    fc.assert(
      fc.property(sizes, fc.nat(), fc.nat(), (size, cut, seed) => {
        const leaves = leavesOf(size, seed);
        const at = cut % (size + 1);
        const start = Frontier.empty();
        leaves.slice(0, at).forEach((leaf) => start.append(leaf));
        const resumed = Frontier.restore(at, start.hashes);
        leaves.slice(at).forEach((leaf) => resumed.append(leaf));
        return resumed.root().equals(rootOf(leaves));
      }),
      { numRuns: 200 },
    );
  });
});
