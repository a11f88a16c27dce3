/**
 * 項目責任制: 縣、鄉、村級級簽定項目建設責任書 — each level signs a project responsibility letter with the next, down to
 * whoever carries the work out. A contract is signed only with all three.
 */
export const LETTER_LEVELS = ['countyToTownship', 'townshipToVillage', 'villageToContractor'] as const;
export type LetterLevel = (typeof LETTER_LEVELS)[number];

export interface Letter {
  reference: string;
  date: string;
}

export type Letters = Record<LetterLevel, Letter>;

/** Text a person can see: something besides spaces, control and format characters (zero-width, soft hyphen). */
export function isVisibleText(text: string): boolean {
  return /[^\p{White_Space}\p{Cc}\p{Cf}]/u.test(text);
}

/**
 * The levels whose letter is missing from what a contract recorded on `signedOn`: absent, not a letter, a reference
 * of nothing visible, or dated after the signing (a letter not yet signed).
 */
export function missingLetters(letters: unknown, signedOn: string): LetterLevel[] {
  const recorded = (letters && typeof letters === 'object' && !Array.isArray(letters) ? letters : {}) as Record<string, Partial<Letter> | undefined>;
  return LETTER_LEVELS.filter((level) => {
    const letter = recorded[level];
    return !(typeof letter?.reference === 'string' && isVisibleText(letter.reference) && typeof letter.date === 'string' && letter.date <= signedOn);
  });
}
