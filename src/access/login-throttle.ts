import { isIPv6 } from 'node:net';
import { DomainError, ErrorCode } from '../common/errors';

interface Window {
  failures: number;
  since: number;
}

/**
 * Slows a password guesser without locking the account's owner out. Failures are limited per username and
 * address together (one guesser on one account) and per address (one guesser spraying many accounts), never per
 * username alone: whoever hammers an account from one address cannot keep its owner, elsewhere, from signing in.
 * Every attempt counts as a failure until it succeeds, so parallel guesses cannot slip under a limit; a throttled
 * pair or address is refused before its password is checked. Windows live in memory (per service instance).
 */
export class LoginThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly perUsernameAndAddress: number,
    private readonly perAddress: number,
    private readonly windowMs: number,
    private readonly refusal = 'Too many failed attempts from this address; try again later',
  ) {}

  /** Refuses a throttled pair or address (429), else counts the attempt as a failure until it succeeds. */
  attempt(username: string, address: string, now = Date.now()): void {
    const keys = this.keys(username, address);
    for (const [key, limit] of keys) {
      const w = this.current(key, now);
      if (w && w.failures >= limit) {
        throw new DomainError(ErrorCode.TooManyAttempts, this.refusal, {
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
    const [[pair], [addr]] = this.keys(username, address);
    this.windows.delete(pair);
    const w = this.windows.get(addr);
    if (w) w.failures = Math.max(0, w.failures - 1);
  }

  private sweep(now: number): void {
    for (const [key] of this.windows) this.current(key, now);
  }

  private keys(username: string, address: string): [string, number][] {
    const from = addressKey(address);
    return [
      [`p:${from} ${username.toLowerCase()}`, this.perUsernameAndAddress],
      [`a:${from}`, this.perAddress],
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

/**
 * The unit an address is limited as: an IPv4 address (also when written IPv4-mapped, `::ffff:1.2.3.4`) by itself, an
 * IPv6 address by its /64, since one subscriber is usually given a whole /64 and could otherwise step through it.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.toLowerCase().split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
