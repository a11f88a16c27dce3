import { hash } from 'node:crypto';

/**
 * The RFC 6962 Merkle tree over a county's events (docs/audit-package.md), computed here from the events themselves,
 * not by the code that signed the checkpoints.
 */

/** The empty tree's root: SHA-256 of nothing. */
export const EMPTY_ROOT = hash('sha256', Buffer.alloc(0), 'buffer');

// One-shot hashing of a reused input buffer: a million events make three million hashes, so each call counts.
const leafInput = Buffer.alloc(33, 0x00);
const nodeInput = Buffer.alloc(65, 0x01);

/** `SHA-256(0x00 ‖ data)`; for an event, `data` is its 32-byte hash. */
export function leafHash(data: Buffer): Buffer {
  if (data.length !== 32) return hash('sha256', Buffer.concat([Buffer.from([0x00]), data]), 'buffer');
  data.copy(leafInput, 1);
  return hash('sha256', leafInput, 'buffer');
}

/** The leaf of an event: `SHA-256(0x00 ‖ hash)`, from the hash as 64 hex digits. */
export function eventLeafHash(hashHex: string): Buffer {
  if (leafInput.write(hashHex, 1, 'hex') !== 32) throw new TypeError(`not a 32-byte hash in hex: ${hashHex}`);
  return hash('sha256', leafInput, 'buffer');
}

/** `SHA-256(0x01 ‖ left ‖ right)`. */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  left.copy(nodeInput, 1);
  right.copy(nodeInput, 33);
  return hash('sha256', nodeInput, 'buffer');
}

/**
 * The right edge of a growing tree: one perfect subtree root per set bit of the size, largest first, so memory is
 * O(log n) whatever the number of leaves. The root of the first n leaves folds the frontier from the right, which is
 * RFC 6962's split at the largest power of two below n applied recursively.
 */
export class MerkleFrontier {
  private readonly subtrees: Buffer[] = [];
  private leaves = 0;

  get size(): number {
    return this.leaves;
  }

  /** Appends a leaf hash (already `leafHash`ed). */
  push(leaf: Buffer): void {
    let node = leaf;
    // Each trailing 1 bit of the old size is a perfect subtree of the new leaf's height: merge it in.
    for (let size = this.leaves; size % 2 === 1; size = Math.floor(size / 2)) node = nodeHash(this.subtrees.pop()!, node);
    this.subtrees.push(node);
    this.leaves += 1;
  }

  /** The root of the leaves pushed so far. */
  root(): Buffer {
    if (this.subtrees.length === 0) return EMPTY_ROOT;
    let root = this.subtrees[this.subtrees.length - 1];
    for (let i = this.subtrees.length - 2; i >= 0; i--) root = nodeHash(this.subtrees[i], root);
    return root;
  }
}

/** The root of a whole list of leaf hashes. */
export function merkleRoot(leaves: Iterable<Buffer>): Buffer {
  const frontier = new MerkleFrontier();
  for (const leaf of leaves) frontier.push(leaf);
  return frontier.root();
}
