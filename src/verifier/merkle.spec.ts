import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { LEAF_INPUTS, ROOTS } from '../../test/support/rfc6962-vectors';
import { EMPTY_ROOT, leafHash, merkleRoot, MerkleFrontier, nodeHash } from './merkle';

/** The vectors' leaves are arbitrary bytes; ours are 32-byte event hashes. The root function takes leaf hashes either way. */
const vectorLeaves = LEAF_INPUTS.map((hex) => leafHash(Buffer.from(hex, 'hex')));

/** RFC 6962 §2.1 as written, over leaf hashes: split at the largest power of two below n. */
function recursiveRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(recursiveRoot(leaves.slice(0, k)), recursiveRoot(leaves.slice(k)));
}

describe('RFC 6962 Merkle tree', () => {
  it('hashes a leaf and a node with their prefixes', () => {
    expect(vectorLeaves[0].toString('hex')).toBe(ROOTS[1]);
    const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
    expect(nodeHash(vectorLeaves[0], vectorLeaves[1])).toEqual(sha(Buffer.from([1]), vectorLeaves[0], vectorLeaves[1]));
  });

  it('gives the test vectors’ root for every tree of their first n leaves, n = 0…8', () => {
    ROOTS.forEach((root, n) => expect(merkleRoot(vectorLeaves.slice(0, n)).toString('hex')).toBe(root));
  });

  it('answers the root at every size while leaves stream in', () => {
    const frontier = new MerkleFrontier();
    const seen = [frontier.root().toString('hex')];
    for (const leaf of vectorLeaves) {
      frontier.push(leaf);
      seen.push(frontier.root().toString('hex'));
    }
    expect(seen).toEqual(ROOTS);
    expect(frontier.size).toBe(8);
  });

  it('agrees with the recursive definition for any number of leaves', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 70 }), (hashes) => {
        const leaves = hashes.map((h) => leafHash(Buffer.from(h)));
        const frontier = new MerkleFrontier();
        leaves.forEach((leaf, i) => {
          frontier.push(leaf);
          expect(frontier.root()).toEqual(recursiveRoot(leaves.slice(0, i + 1)));
        });
      }),
      { numRuns: 50 },
    );
  });
});
