import Decimal from 'decimal.js';
import {
  CLAIM_STATES,
  CLAIM_TRANSITIONS,
  checkClaimWorkflow,
  detectType,
  forwardStep,
  invoiceKeys,
  needsLeader,
  nextStep,
  requiredDocuments,
  uploadProblem,
} from './claims';

describe('claim workflow table', () => {
  it('is consistent', () => expect(() => checkClaimWorkflow()).not.toThrow());

  it('refuses a table with a state that cannot be left', () => {
    expect(() => checkClaimWorkflow(CLAIM_TRANSITIONS.filter((t) => t.step !== 'pay' && t.step !== 'reject'))).toThrow(/approved cannot be left/);
  });

  it('refuses a table where a state can only be rejected', () => {
    expect(() => checkClaimWorkflow(CLAIM_TRANSITIONS.filter((t) => t.step !== 'township_review'))).toThrow(/submitted has no way forward/);
  });

  it('refuses a table that leaves a final state', () => {
    expect(() =>
      checkClaimWorkflow([
        ...CLAIM_TRANSITIONS.filter((t) => t.step !== 'revise'),
        { step: 'revise', from: ['rejected', 'paid'], to: 'draft', roles: ['village'] },
      ]),
    ).toThrow(/paid is final/);
  });

  it('takes each state forward by the first of its steps that neither rejects nor withdraws', () => {
    expect(Object.fromEntries(CLAIM_STATES.map((s) => [s, forwardStep(s)]))).toEqual({
      draft: 'submit',
      submitted: 'township_review',
      township_reviewed: 'line_review',
      line_reviewed: 'approve',
      approved: 'pay',
      paid: null,
      rejected: 'revise',
      withdrawn: null,
    });
  });
});

describe('the leader', () => {
  const threshold = new Decimal('500000');

  it('signs above the threshold until county finance approves, then as finance settled it', () => {
    expect(needsLeader({ amount: '500000.01', financeApproval: null }, threshold)).toBe(true);
    expect(needsLeader({ amount: '500000.00', financeApproval: null }, threshold)).toBe(false);
    // A threshold changed after finance approved strands nothing.
    expect(needsLeader({ amount: '10.00', financeApproval: 'leader' }, threshold)).toBe(true);
    expect(needsLeader({ amount: '900000.00', financeApproval: 'alone' }, threshold)).toBe(false);
  });

  it('is next only once finance approved a claim that needs the signature; a failed line review is next rejected', () => {
    expect(nextStep({ state: 'line_reviewed', lineResult: 'pass', financeApproval: null })).toBe('approve');
    expect(nextStep({ state: 'line_reviewed', lineResult: 'pass', financeApproval: 'leader' })).toBe('leader_sign');
    expect(nextStep({ state: 'line_reviewed', lineResult: 'fail', financeApproval: null })).toBe('reject');
    expect(nextStep({ state: 'approved', lineResult: 'pass', financeApproval: 'leader' })).toBe('pay');
  });
});

describe('invoiceKeys', () => {
  it('keys an invoice on its issuer taxpayer id and its code and number, never the issuer name', () => {
    expect(invoiceKeys({ issuerTaxId: '91421124MA4F0B3K57', code: '4200261130', number: '04200123' })).toEqual({
      issuerKey: '91421124MA4F0B3K57',
      numberKey: '4200261130-04200123',
    });
    expect(invoiceKeys({ issuerTaxId: '91421124MA4F0B3K57', number: '26422000000012345678' })).toEqual({
      issuerKey: '91421124MA4F0B3K57',
      numberKey: '26422000000012345678',
    });
  });
});

describe('attachments', () => {
  const pdf = Buffer.from('%PDF-1.7\n%%EOF');
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]);

  it('recognises PDF, PNG and JPEG by their first bytes only', () => {
    expect([detectType(pdf), detectType(png), detectType(jpeg), detectType(Buffer.from('hello')), detectType(Buffer.alloc(0))]).toEqual([
      'application/pdf',
      'image/png',
      'image/jpeg',
      null,
      null,
    ]);
  });

  it.each([
    ['發票.pdf', 'application/pdf', pdf, null],
    ['scan.JPEG', 'image/jpeg', jpeg, null],
    ['../../etc/passwd.pdf', 'application/pdf', pdf, 'filename'],
    ['dir/a.pdf', 'application/pdf', pdf, 'filename'],
    ['dir\\a.pdf', 'application/pdf', pdf, 'filename'],
    ['a\u0000.pdf', 'application/pdf', pdf, 'filename'],
    ['fake.pdf', 'application/pdf', Buffer.from('not a pdf'), 'file'],
    ['image.pdf', 'application/pdf', png, 'filename'],
    ['image.png', 'application/pdf', png, 'file'],
  ])('%s declared %s: problem with %s', (name, declared, content, field) => {
    expect(uploadProblem(name, declared, detectType(content))?.field ?? null).toBe(field);
  });
});

describe('requiredDocuments', () => {
  it('asks a final claim for its acceptance as well', () => {
    expect(requiredDocuments(true)).toEqual([...requiredDocuments(false), 'acceptance']);
  });
});
