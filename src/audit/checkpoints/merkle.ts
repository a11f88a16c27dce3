import { createHash } from 'node:crypto';

/**
 * The RFC 6962 Merkle tree over a county's sealed events (docs/audit-package.md, "Signed checkpoints"): leaves are
 * `SHA-256(0x00 ‖ event hash)`, nodes `SHA-256(0x01 ‖ left ‖ right)`, and a tree of n leaves splits at the largest
 * power of two below n. Pure: no database, no clock. Sizes and indices are plain numbers, exact below 2^53, and never
 * meet a 32-bit bitwise operator.
 */

const HASH_BYTES = 32;
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** The leaf of one event: its 32-byte hash (not its hex) behind 0x00. */
export function leafHash(eventHash: Buffer): Buffer {
  if (eventHash.length !== HASH_BYTES) throw new RangeError(`an event hash is ${HASH_BYTES} bytes, not ${eventHash.length}`);
  return createHash('sha256').update(LEAF_PREFIX).update(eventHash).digest();
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** A run of leaves `[start, end)`: each hash of a proof is the root of one such run. */
export interface Span {
  start: number;
  end: number;
}

function assertSize(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a whole number, not ${value}`);
}

const half = (n: number): number => Math.floor(n / 2);
const odd = (n: number): boolean => n % 2 === 1;

/** The largest power of two smaller than n (n ≥ 2): where a tree of n leaves splits. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function popCount(n: number): number {
  let count = 0;
  for (let rest = n; rest > 0; rest = half(rest)) if (odd(rest)) count++;
  return count;
}

/**
 * The right edge of a tree: the roots of its perfect subtrees, largest (leftmost) first, one per 1-bit of its size.
 * Appending a leaf merges equal subtrees like a binary counter's carry, so a checkpoint that starts from the previous
 * one's frontier hashes only the leaves added since.
 */
export class Frontier {
  private constructor(
    private leaves: number,
    private readonly nodes: Buffer[],
  ) {}

  static empty(): Frontier {
    return new Frontier(0, []);
  }

  /** A frontier as a checkpoint kept it; refuses one that cannot belong to a tree of `size` leaves. */
  static restore(size: number, hashes: readonly Buffer[]): Frontier {
    assertSize(size, 'a tree size');
    if (hashes.length !== popCount(size)) throw new RangeError(`a frontier of ${size} leaves has ${popCount(size)} hashes, not ${hashes.length}`);
    if (hashes.some((h) => h.length !== HASH_BYTES)) throw new RangeError(`a frontier's hashes are ${HASH_BYTES} bytes each`);
    return new Frontier(size, [...hashes]);
  }

  get size(): number {
    return this.leaves;
  }

  get hashes(): readonly Buffer[] {
    return [...this.nodes];
  }

  append(leaf: Buffer): void {
    let carry = leaf;
    for (let size = this.leaves; odd(size); size = half(size)) carry = nodeHash(this.nodes.pop()!, carry);
    this.nodes.push(carry);
    this.leaves += 1;
  }

  /** MTH of the leaves appended so far: the right edge folded from the smallest subtree leftwards. */
  root(): Buffer {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let root = this.nodes[this.nodes.length - 1];
    for (let i = this.nodes.length - 2; i >= 0; i--) root = nodeHash(this.nodes[i], root);
    return root;
  }
}

/** MTH(D[n]) of RFC 6962 §2.1 over leaf hashes. */
export function rootOf(leaves: readonly Buffer[]): Buffer {
  const frontier = Frontier.empty();
  for (const leaf of leaves) frontier.append(leaf);
  return frontier.root();
}

/** PATH(m, D[n]) of RFC 6962 §2.1.1 as the runs of leaves whose roots it lists, nearest the leaf first. */
export function inclusionSpans(index: number, size: number): Span[] {
  assertSize(index, 'a leaf index');
  assertSize(size, 'a tree size');
  if (index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const path = (m: number, start: number, end: number): Span[] => {
    const n = end - start;
    if (n === 1) return [];
    const k = split(n);
    return m < k ? [...path(m, start, start + k), { start: start + k, end }] : [...path(m - k, start + k, end), { start, end: start + k }];
  };
  return path(index, 0, size);
}

/** PROOF(m, D[n]) of RFC 6962 §2.1.2 (SUBPROOF with b = true) as runs of leaves; empty when m is 0 or n. */
export function consistencySpans(first: number, second: number): Span[] {
  assertSize(first, 'a tree size');
  assertSize(second, 'a tree size');
  if (first > second) throw new RangeError(`a tree of ${first} is not a prefix of one of ${second}`);
  if (first === 0 || first === second) return [];
  const subproof = (m: number, start: number, end: number, whole: boolean): Span[] => {
    const n = end - start;
    if (m === n) return whole ? [] : [{ start, end }];
    const k = split(n);
    return m <= k
      ? [...subproof(m, start, start + k, whole), { start: start + k, end }]
      : [...subproof(m - k, start + k, end, false), { start, end: start + k }];
  };
  return subproof(first, 0, second, true);
}

/** The inclusion proof of leaf `index` in the tree of all `leaves`. */
export function inclusionProof(leaves: readonly Buffer[], index: number): Buffer[] {
  return inclusionSpans(index, leaves.length).map((s) => rootOf(leaves.slice(s.start, s.end)));
}

/** The consistency proof from the tree of the first `first` leaves to the tree of all `leaves`. */
export function consistencyProof(leaves: readonly Buffer[], first: number): Buffer[] {
  return consistencySpans(first, leaves.length).map((s) => rootOf(leaves.slice(s.start, s.end)));
}

/**
 * Computes a proof's hashes, and the roots of chosen prefixes, from leaves fed once in order: memory for one frontier
 * per open run, never the leaves. The runs of a proof are disjoint, so each leaf feeds at most one run and the whole
 * tree's frontier: O(n) hashing for n leaves.
 */
export class ProofBuilder {
  private readonly order: number[];
  private readonly done: (Buffer | undefined)[];
  private readonly roots = new Map<number, Buffer>();
  private readonly whole = Frontier.empty();
  private next = 0;
  private open?: { slot: number; frontier: Frontier };

  /** `spans` as `inclusionSpans` / `consistencySpans` give them; `rootsAt`: tree sizes whose roots to keep. */
  constructor(
    private readonly spans: readonly Span[],
    private readonly rootsAt: readonly number[],
  ) {
    this.order = spans.map((_, i) => i).sort((a, b) => spans[a].start - spans[b].start);
    this.done = spans.map(() => undefined);
  }

  /** How many leaves have been fed. */
  get size(): number {
    return this.whole.size;
  }

  push(leaf: Buffer): void {
    const index = this.whole.size;
    this.whole.append(leaf);
    if (this.rootsAt.includes(index + 1)) this.roots.set(index + 1, this.whole.root());
    if (!this.open && this.next < this.order.length && this.spans[this.order[this.next]].start === index) {
      this.open = { slot: this.order[this.next], frontier: Frontier.empty() };
      this.next += 1;
    }
    if (this.open) {
      this.open.frontier.append(leaf);
      if (this.spans[this.open.slot].end === index + 1) {
        this.done[this.open.slot] = this.open.frontier.root();
        this.open = undefined;
      }
    }
  }

  /** The proof's hashes in proof order; throws when a run was not fed to its end. */
  proof(): Buffer[] {
    return this.done.map((hash, i) => {
      if (!hash) throw new Error(`leaves ${this.spans[i].start}..${this.spans[i].end - 1} were not all fed`);
      return hash;
    });
  }

  /** The root of the tree of the first `size` leaves (one of `rootsAt`, once fed). */
  rootAt(size: number): Buffer {
    if (size === 0) return EMPTY_ROOT;
    const root = this.roots.get(size);
    if (!root) throw new Error(`the root at ${size} was not asked for or its leaves were not all fed`);
    return root;
  }
}

/** RFC 9162 §2.1.3.2: whether `proof` proves `leaf` at `index` in the tree of `size` leaves whose root is `root`. */
export function verifyInclusion(index: number, size: number, leaf: Buffer, proof: readonly Buffer[], root: Buffer): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0 || p.length !== HASH_BYTES) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/**
 * RFC 9162 §2.1.4.2: whether `proof` proves that the tree of `first` leaves with root `firstRoot` is a prefix of the
 * tree of `second` leaves with root `secondRoot`. Equal sizes need an empty proof and equal roots; the empty tree is a
 * prefix of every tree.
 */
export function verifyConsistency(first: number, second: number, firstRoot: Buffer, secondRoot: Buffer, proof: readonly Buffer[]): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || second < first) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0 || proof.some((p) => p.length !== HASH_BYTES)) return false;
  const path = popCount(first) === 1 ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}
