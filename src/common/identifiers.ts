/**
 * Identifiers are not free text: each is checked against its national format and kept in one canonical form, so
 * the same invoice, company, person or account written two ways is recognised as one (虛報冒領 and related-party
 * checks depend on it). Canonical form first (Unicode NFKC, so full-width ０-９ and Ａ-Ｚ become ASCII; upper case;
 * the separators people type — spaces and hyphens — removed), then the format. Anything else left in the text
 * (zero-width spaces, soft hyphens, direction marks, other letters) makes it invalid, never silently dropped.
 */

/** NFKC, upper case, without the spaces and hyphens people use to group digits. */
export function canonicalIdentifier(text: string): string {
  return text.normalize('NFKC').toUpperCase().replace(/[ -]/g, '');
}

/** GB 32100-2015 統一社會信用代碼: 18 characters of 0-9 and A-Y without I, O, S, V, Z; the last is a check character. */
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

export function isTaxpayerId(canonical: string): boolean {
  return USCC_SHAPE.test(canonical) && usccCheckCharacter(canonical.slice(0, 17)) === canonical[17];
}

/** GB 11643-1999 公民身份號碼: six-digit area, birth date YYYYMMDD, three-digit sequence, check digit 0-9 or X. */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export function idCardCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

export function isIdCardNumber(canonical: string): boolean {
  if (!/^[1-9][0-9]{16}[0-9X]$/.test(canonical)) return false;
  const [y, m, d] = [canonical.slice(6, 10), canonical.slice(10, 12), canonical.slice(12, 14)].map(Number);
  const birth = new Date(Date.UTC(y, m - 1, d));
  const real = y >= 1900 && birth.getUTCFullYear() === y && birth.getUTCMonth() === m - 1 && birth.getUTCDate() === d;
  return real && idCardCheckCharacter(canonical.slice(0, 17)) === canonical[17];
}

/**
 * A bank account (對公賬號 or card number): 8 to 32 digits. Account numbers of Chinese banks carry no common check
 * digit (only cards use Luhn, and not all of them), so the format is digits and length.
 */
export function isBankAccount(canonical: string): boolean {
  return /^[0-9]{8,32}$/.test(canonical);
}

/**
 * A VAT invoice is identified by its 發票代碼 (10 or 12 digits) and 發票號碼 (8 digits); a fully digital invoice
 * (數電發票) by a 20-digit number and no code.
 */
export function isInvoiceCode(canonical: string): boolean {
  return /^([0-9]{10}|[0-9]{12})$/.test(canonical);
}

/** What is wrong with an invoice number given whether the invoice has a code, or null. */
export function invoiceNumberProblem(hasCode: boolean, number: string): string | null {
  if (hasCode) return /^[0-9]{8}$/.test(number) ? null : 'the 8-digit invoice number (發票號碼) that goes with the invoice code';
  return /^[0-9]{20}$/.test(number) ? null : 'the 20-digit number of a fully digital invoice (數電發票), or 8 digits with an invoice code';
}

/** The key an invoice is claimed under, once per issuer: the code and number, or the digital invoice's number. */
export function invoiceNumberKey(code: string | undefined | null, number: string): string {
  return code ? `${code}-${number}` : number;
}
