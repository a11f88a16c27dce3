import { DomainError, ErrorCode } from '../common/errors';
import { LoginThrottle, addressKey } from './login-throttle';

describe('login throttle', () => {
  const windowMs = 900_000;
  const refused = (fn: () => void): DomainError | undefined => {
    try {
      fn();
      return undefined;
    } catch (err) {
      return err as DomainError;
    }
  };

  it('throttles a username from one address, not the same username from another', () => {
    const throttle = new LoginThrottle(5, 50, windowMs);
    for (let i = 0; i < 5; i++) throttle.attempt('Finance1', '203.0.113.9', 0);
    const err = refused(() => throttle.attempt('finance1', '203.0.113.9', 1_000));
    expect(err).toMatchObject({ code: ErrorCode.TooManyAttempts, details: { retryAfterSeconds: 899 } });
    expect(refused(() => throttle.attempt('finance1', '198.51.100.7', 1_000))).toBeUndefined();
    // Over once the window has passed.
    expect(refused(() => throttle.attempt('finance1', '203.0.113.9', windowMs))).toBeUndefined();
  });

  it('throttles an address spraying many usernames', () => {
    const throttle = new LoginThrottle(5, 50, windowMs);
    for (let i = 0; i < 50; i++) throttle.attempt(`user${i}`, '203.0.113.9', 0);
    expect(refused(() => throttle.attempt('someone-new', '203.0.113.9', 0))?.code).toBe(ErrorCode.TooManyAttempts);
    expect(refused(() => throttle.attempt('someone-new', '198.51.100.7', 0))).toBeUndefined();
  });

  it('forgets a pair’s failures on success and takes one off the address', () => {
    const throttle = new LoginThrottle(2, 3, windowMs);
    throttle.attempt('a', '203.0.113.9', 0);
    throttle.attempt('a', '203.0.113.9', 0);
    throttle.succeeded('a', '203.0.113.9');
    throttle.attempt('a', '203.0.113.9', 0);
    throttle.attempt('b', '203.0.113.9', 0);
    expect(refused(() => throttle.attempt('c', '203.0.113.9', 0))?.code).toBe(ErrorCode.TooManyAttempts);
  });

  it('limits an IPv6 client by its /64, and an IPv4-mapped address as the IPv4 one', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    const throttle = new LoginThrottle(1, 50, windowMs);
    throttle.attempt('a', '2001:db8:1:2::1', 0);
    expect(refused(() => throttle.attempt('a', '2001:db8:1:2::ffff', 0))?.code).toBe(ErrorCode.TooManyAttempts);
  });
});
