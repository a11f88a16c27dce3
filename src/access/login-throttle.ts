import { DomainError, ErrorCode } from '../common/errors';

interface Window {
  failures: number;
  since: number;
}

/**
 * Failed logins are limited per username and per address, in a sliding window kept in memory (per service
 * instance; behind several instances the limit applies to each). A throttled key is refused before its password
 * is checked, with a Retry-After.
 */
export class LoginThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly perUsername: number,
    private readonly perAddress: number,
    private readonly windowMs: number,
  ) {}

  check(username: string, address: string, now = Date.now()): void {
    for (const [key, limit] of this.keys(username, address)) {
      const w = this.current(key, now);
      if (w && w.failures >= limit) {
        throw new DomainError(ErrorCode.TooManyAttempts, 'Too many failed logins; try again later', {
          retryAfterSeconds: Math.ceil((w.since + this.windowMs - now) / 1000),
        });
      }
    }
  }

  failed(username: string, address: string, now = Date.now()): void {
    for (const [key] of this.keys(username, address)) {
      const w = this.current(key, now) ?? { failures: 0, since: now };
      w.failures += 1;
      this.windows.set(key, w);
    }
  }

  succeeded(username: string): void {
    this.windows.delete(`u:${username.toLowerCase()}`);
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
