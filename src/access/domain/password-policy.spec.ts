import { ErrorCode } from '../../common/errors';
import { assertPasswordAcceptable, generatePassword, passwordProblem } from './password-policy';

describe('password policy', () => {
  const person = { username: 'finance-maker', displayName: '王會計' };

  it.each([
    ['a repeated character', 'aaaaaaaaaaaa'],
    ['a run of digits', '123456789012'],
    ['a common password with digits', 'password1234'],
    ['a keyboard walk', 'qwertyuiop12'],
    ['a sequence', 'abcdefghijkl'],
    ['the username', 'finance-maker'],
    ['the username plus digits', 'finance-maker2024'],
    ['the username backwards with digits', 'rekam-ecnanif99'],
    ['the display name repeated', '王會計王會計王會計王會計'],
    ['the service’s own words', 'fundledger2026'],
  ])('refuses %s, saying why', (_name, password) => {
    expect(passwordProblem(password, person)).toMatch(/^is too easy to guess: \S/);
  });

  it('refuses fewer than 12 characters, counted as typed', () => {
    expect(passwordProblem('Xq7#vR2!pL9', person)).toBe('must be at least 12 characters');
    // Eleven emoji are eleven characters, though 22 UTF-16 units.
    expect(passwordProblem('🐉🐉🐉🐉🐉🐉🐉🐉🐉🐉🐉', person)).toBe('must be at least 12 characters');
  });

  it.each([
    ['the suite’s test password', 'a-password-for-tests', { username: 'anyone' }],
    ['the suite’s admin password', 'admin-password-for-tests', { username: 'admin', displayName: 'Administrator' }],
    ['a phrase of ordinary words, no digits or capitals', 'correct horse battery staple', person],
    ['a generated password', generatePassword(), person],
  ])('accepts %s: no composition rules', (_name, password, context) => {
    expect(passwordProblem(password, context)).toBeNull();
  });

  it('answers a refusal as 400 VALIDATION_FAILED on the field, with the reason', () => {
    try {
      assertPasswordAcceptable('newPassword', 'password1234', person);
      throw new Error('not refused');
    } catch (err) {
      expect(err).toMatchObject({
        code: ErrorCode.ValidationFailed,
        details: { fields: [{ field: 'newPassword', message: expect.stringMatching(/^newPassword is too easy to guess/) }] },
      });
    }
  });

  it('estimates a long password in bounded time', () => {
    const started = Date.now();
    expect(passwordProblem('p@ssw0rd'.repeat(25), person)).toMatch(/too easy/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
