import { ServiceLogger, createRootLogger, requestIdOf } from './logging';

function logged(level: 'log' | 'debug', write: (logger: ServiceLogger) => void): Record<string, unknown>[] {
  let text = '';
  write(new ServiceLogger(createRootLogger({ level, format: 'json', destination: { write: (chunk: string) => void (text += chunk) } })));
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

const STACK = 'Error: boom\n    at somewhere (file.ts:1:1)';

describe('ServiceLogger reads what Nest passes', () => {
  it('a message and its context', () => {
    expect(logged('log', (l) => l.log('hello', 'Main'))).toEqual([expect.objectContaining({ level: 'info', msg: 'hello', context: 'Main' })]);
  });

  it('an error with its stack and context, with either missing', () => {
    const [both, noStack, noContext] = logged('log', (l) => {
      l.error('failed', STACK, 'Errors');
      l.error('failed', undefined, 'Errors');
      l.error('failed', STACK);
    });
    expect(both).toMatchObject({ level: 'error', msg: 'failed', context: 'Errors', stack: STACK });
    expect(noStack).toMatchObject({ context: 'Errors' });
    expect(noStack).not.toHaveProperty('stack');
    expect(noContext).toMatchObject({ stack: STACK });
    expect(noContext).not.toHaveProperty('context');
  });

  it('an object as fields, with secrets censored', () => {
    expect(logged('log', (l) => l.warn({ rows: 3, password: 'hunter2', headers: { authorization: 'Bearer x' } }, 'Seed'))).toEqual([
      expect.objectContaining({ level: 'warn', rows: 3, password: '[redacted]', headers: { authorization: '[redacted]' }, context: 'Seed' }),
    ]);
  });

  it("Nest's line per module and route only at debug", () => {
    expect(logged('log', (l) => l.log('Mapped {/health, GET} route', 'RouterExplorer'))).toEqual([]);
    expect(logged('debug', (l) => l.log('Mapped {/health, GET} route', 'RouterExplorer'))).toEqual([expect.objectContaining({ level: 'debug' })]);
  });
});

describe('the pretty format', () => {
  it('one readable line a message, its stack below it, and no colour codes off a terminal', () => {
    let text = '';
    const logger = new ServiceLogger(createRootLogger({ level: 'log', format: 'pretty', destination: { write: (chunk: string) => void (text += chunk) } }));
    logger.log('listening', 'Main');
    logger.error('failed', STACK, 'Errors');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[Main\] listening\n\[[\d:.]+\] ERROR: \[Errors\] failed\nError: boom\n {4}at somewhere/);
    expect(text).not.toContain('\u001b[');
  });
});

describe('requestIdOf', () => {
  it.each(['a', 'abc-123', 'trace.4:span_7', 'x'.repeat(64)])('keeps %j', (id) => expect(requestIdOf(id)).toBe(id));
  it.each(['', 'x'.repeat(65), 'a b', 'a\tb', 'a\nb', 'é', '<script>', 'a,b'])('replaces %j', (id) => expect(requestIdOf(id)).not.toBe(id));
  it('replaces a missing or repeated header', () => {
    expect(requestIdOf(undefined)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(['a', 'b'])).toMatch(/^[0-9a-f-]{36}$/);
  });
});
