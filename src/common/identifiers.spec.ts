import fc from 'fast-check';
import {
  canonicalIdentifier,
  idCardCheckCharacter,
  invoiceNumberKey,
  invoiceNumberProblem,
  isBankAccount,
  isIdCardNumber,
  isInvoiceCode,
  isTaxpayerId,
  usccCheckCharacter,
} from './identifiers';

/** Characters that render as nothing or as a hyphen and once made a new invoice out of an old one. */
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\u00ad', '\u200e', '\u200f', '\ufeff'];

describe('canonicalIdentifier', () => {
  it('turns full-width characters into ASCII, upper-cases, and drops the spaces and hyphens people group digits with', () => {
    expect(canonicalIdentifier('９１４２ １１２４ｍａ-4f0b3k57')).toBe('91421124MA4F0B3K57');
    expect(canonicalIdentifier('0328 5728')).toBe('03285728');
  });

  it('keeps invisible characters, so the format check refuses them instead of letting them make a new identifier', () => {
    for (const c of INVISIBLE) {
      expect(canonicalIdentifier(`0328${c}5728`)).not.toBe('03285728');
      expect(invoiceNumberProblem(true, canonicalIdentifier(`0328${c}5728`))).not.toBeNull();
      expect(isTaxpayerId(canonicalIdentifier(`91421124MA4F0B3K${c}57`))).toBe(false);
    }
  });
});

describe('taxpayer id (統一社會信用代碼, GB 32100)', () => {
  it('accepts codes with their check character', () => {
    for (const id of ['91350100M000100Y43', '91421124MA4F0B3K57', '92421124MA4F0B3K9G']) expect(isTaxpayerId(id)).toBe(true);
  });

  it('refuses a wrong check character, a letter outside the alphabet, a wrong length, lower case', () => {
    for (const id of ['91350100M000100Y44', '91350100M000100I43', '91350100M000100Y4', '91350100M000100Y433', '91350100m000100y43', '9135010OM000100Y43']) {
      expect([id, isTaxpayerId(id)]).toEqual([id, false]);
    }
  });

  it('detects every single-character change (the check character is a mod-31 weighted sum)', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{9}$/), fc.nat(16), fc.nat(30), (body, at, by) => {
        const id = body + usccCheckCharacter(body);
        expect(isTaxpayerId(id)).toBe(true);
        const old = alphabet.indexOf(id[at]);
        const changed = alphabet[(old + 1 + (by % 30)) % 31];
        const tampered = id.slice(0, at) + changed + id.slice(at + 1);
        if (at >= 2 && at < 8 && !/[0-9]/.test(changed)) return; // the shape check refuses it anyway
        expect(isTaxpayerId(tampered)).toBe(false);
      }),
    );
  });
});

describe('resident ID number (公民身份號碼, GB 11643)', () => {
  it('accepts numbers with a real birth date and their check digit, X included', () => {
    expect(isIdCardNumber('11010519491231002X')).toBe(true);
    expect(isIdCardNumber('421124198001010019')).toBe(true);
  });

  it('refuses a wrong check digit, an impossible birth date, a lower-case x, 15-digit numbers', () => {
    for (const id of ['110105194912310021', '421124198002300011', '11010519491231002x', '110105491231002'])
      expect([id, isIdCardNumber(id)]).toEqual([id, false]);
    expect(isIdCardNumber(`42112419800230001${idCardCheckCharacter('42112419800230001')}`)).toBe(false);
  });
});

describe('bank accounts and invoices', () => {
  it('takes 8-32 digits as a bank account', () => {
    expect(['82010000000999', '6217000000000000000', '1234567'].map(isBankAccount)).toEqual([true, true, false]);
    expect(isBankAccount('8201 0000')).toBe(false);
    expect(isBankAccount(canonicalIdentifier('8201 0000-0000 0999'))).toBe(true);
  });

  it('takes an invoice code of 10 or 12 digits with an 8-digit number, or a 20-digit digital invoice number alone', () => {
    expect([isInvoiceCode('4200261130'), isInvoiceCode('042002600111'), isInvoiceCode('42002611')]).toEqual([true, true, false]);
    expect(invoiceNumberProblem(true, '04200123')).toBeNull();
    expect(invoiceNumberProblem(true, '26422000000012345678')).not.toBeNull();
    expect(invoiceNumberProblem(false, '26422000000012345678')).toBeNull();
    expect(invoiceNumberProblem(false, '04200123')).not.toBeNull();
    expect(invoiceNumberKey('4200261130', '04200123')).toBe('4200261130-04200123');
  });
});
