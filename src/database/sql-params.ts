/** Positional parameters numbered as they are added, so a statement's `$n` always name the values they stand for. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value; answers its placeholder, with the cast if one is given (`$3::bigint`). */
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }

  /** The number the next value will take: for a fragment that numbers its own parameters from there. */
  get next(): number {
    return this.values.length + 1;
  }

  /** Appends the values of a fragment numbered from `next`. */
  addAll(values: readonly unknown[]): void {
    this.values.push(...values);
  }
}
