import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { EMPTY_ROOT, leafHash, merkleRoot, MerkleFrontier, nodeHash } from './merkle';

/**
 * RFC 6962 test vectors from Google's certificate-transparency test data (transparency-dev/merkle
 * testonly/constants.go): the eight leaf inputs and the root of every tree of their first n leaves.
 */
const LEAF_INPUTS = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

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
