import { DomainError, ErrorCode } from '../common/errors';

interface Window {
  failures: number;
  since: number;
}

/**
 * Failed logins are limited per username and per address, in a window kept in memory (per service instance;
 * behind several instances the limit applies to each). Every attempt counts as a failure until it succeeds, so
 * parallel guesses cannot slip under the limit; a throttled key is refused before its password is checked.
 */
export class LoginThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly perUsername: number,
    private readonly perAddress: number,
    private readonly windowMs: number,
  ) {}

  /** Refuses a throttled username or address (429), else counts the attempt as a failure until it succeeds. */
  attempt(username: string, address: string, now = Date.now()): void {
    const keys = this.keys(username, address);
    for (const [key, limit] of keys) {
      const w = this.current(key, now);
      if (w && w.failures >= limit) {
        throw new DomainError(ErrorCode.TooManyAttempts, 'Too many failed logins; try again later', {
          retryAfterSeconds: Math.ceil((w.since + this.windowMs - now) / 1000),
        });
      }
    }
    if (this.windows.size > 100_000) this.sweep(now);
    for (const [key] of keys) {
      const w = this.current(key, now) ?? { failures: 0, since: now };
      w.failures += 1;
      this.windows.set(key, w);
    }
  }

  succeeded(username: string, address: string): void {
    this.windows.delete(`u:${username.toLowerCase()}`);
    const w = this.windows.get(`a:${address}`);
    if (w) w.failures = Math.max(0, w.failures - 1);
  }

  private sweep(now: number): void {
    for (const [key] of this.windows) this.current(key, now);
  }

  private keys(username: string, address: string): [string, number][] {
    return [
      [`u:${username.toLowerCase()}`, this.perUsername],
      [`a:${address}`, this.perAddress],
    ];
  }

  private current(key: string, now: number): Window | undefined {
    const w = this.windows.get(key);
    if (w && now - w.since >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }
}
