import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { randomBytes } from 'node:crypto';
import { invalidField } from '../../common/errors';

/**
 * What makes a password acceptable (NIST SP 800-63B §5.1.1.2): long enough, and not one an attacker tries early —
 * common passwords, repeats and sequences, keyboard walks, the person's own names, the service's — as estimated by
 * zxcvbn. No composition rules, no expiry: a long phrase of ordinary words is a good password.
 */
export const MIN_PASSWORD_LENGTH = 12;

/** zxcvbn's 3: at least 10⁸ guesses, which at our bcrypt cost is years of one core per account. */
const MIN_SCORE = 3;

/**
 * zxcvbn's matching grows steeply with length (a 200-character password took seconds of CPU); only this many
 * leading characters are estimated. A password whose first 32 characters are hard to guess is hard to guess.
 */
const ESTIMATED_LENGTH = 32;

/** Words of this service an attacker would try first. */
const SERVICE_WORDS = ['fund', 'ledger', 'fundledger', 'poverty', 'county', 'finance'];

export interface PasswordContext {
  username: string;
  displayName?: string;
}

let factory: ZxcvbnFactory | undefined;

/** Built on first use and kept: ranking the dictionaries takes a noticeable fraction of a second. */
function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    translations: en.translations,
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    maxLength: ESTIMATED_LENGTH,
  });
  return factory;
}

/** Why `password` may not be set for the person in `context`, or null when it may. */
export function passwordProblem(password: string, context: PasswordContext): string | null {
  // Counted in characters, not UTF-16 units: a character outside the BMP (an emoji, a rare 漢字) counts once.
  if ([...password].length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  const result = estimator().check(password, contextWords(context));
  if (result.score >= MIN_SCORE) return null;
  const why = result.feedback.warning ?? 'It is too easy to guess.';
  const how = result.feedback.suggestions.length > 0 ? result.feedback.suggestions.join(' ') : 'Use a longer phrase of unrelated words.';
  return `is too easy to guess: ${why} ${how}`;
}

/** Refuses an unacceptable password as 400 VALIDATION_FAILED naming `field`, with the reason. */
export function assertPasswordAcceptable(field: string, password: string, context: PasswordContext): void {
  const problem = passwordProblem(password, context);
  if (problem) throw invalidField(field, `${field} ${problem}`);
}

/** The person's names, whole and in parts, so `maker2024` is caught for `finance-maker` as well as `finance-maker`. */
function contextWords(context: PasswordContext): string[] {
  const names = [context.username, context.displayName ?? ''].filter((n) => n.length > 0);
  const parts = names.flatMap((n) => n.split(/[\s._-]+/)).filter((p) => [...p].length >= 3);
  return [...new Set([...names, ...parts, ...SERVICE_WORDS].map((w) => w.toLowerCase()))];
}

/** A password for someone to use once and change: 24 random characters, far above any estimate's threshold. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
