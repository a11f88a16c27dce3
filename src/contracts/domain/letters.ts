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

/** The levels whose letter is missing (or not a letter at all) from what a contract recorded. */
export function missingLetters(letters: unknown): LetterLevel[] {
  const recorded = (letters && typeof letters === 'object' && !Array.isArray(letters) ? letters : {}) as Record<string, Partial<Letter> | undefined>;
  return LETTER_LEVELS.filter((level) => {
    const letter = recorded[level];
    return !(typeof letter?.reference === 'string' && letter.reference.length > 0 && typeof letter.date === 'string');
  });
}
