export class LineTooLongError extends Error {}

/**
 * Splits streamed bytes into `\n`-ended lines without holding more than one line: a line is decoded only once it is
 * whole, so a multi-byte character split between chunks is never cut.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineBytes: number,
  ) {}

  write(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      if (this.pending.length === 0) this.onLine(chunk.toString('utf8', start, nl));
      else {
        this.pending.push(chunk.subarray(start, nl));
        const line = Buffer.concat(this.pending).toString('utf8');
        this.pending = [];
        this.pendingBytes = 0;
        this.onLine(line);
      }
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxLineBytes) throw new LineTooLongError(`a line longer than ${this.maxLineBytes} bytes`);
      // The chunk may be reused by its stream: keep a copy of the unfinished line.
      this.pending.push(Buffer.from(chunk.subarray(start)));
    }
  }

  /** The last line, when the bytes do not end in `\n`. */
  end(): void {
    if (this.pending.length === 0) return;
    const line = Buffer.concat(this.pending).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    this.onLine(line);
  }
}
