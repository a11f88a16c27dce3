import fc from 'fast-check';
import { AccountRef, WorkflowAccountRef, bankCode, codeOf, dimensionsOf, typeOfKind, workflowKindOfCode } from './account-refs';
import { bookOf } from './accounts';

const id = fc.integer({ min: 1, max: 2_147_483_647 });
const category = fc.constantFrom('industry', 'infrastructure', 'social_services', 'training', 'work_for_relief', 'other');
const workflowRef: fc.Arbitrary<WorkflowAccountRef> = fc.oneof(
  fc.record({ kind: fc.constant('fund' as const), allocationId: id, dedicatedAccountId: id }),
  fc.record({ kind: fc.constantFrom('appropriation' as const, 'quota_unallocated' as const), allocationId: id }),
  fc.record({ kind: fc.constantFrom('quota_project' as const, 'quota_spent' as const), projectId: id, allocationId: id }),
  fc.record({ kind: fc.constantFrom('quota_committed' as const, 'retention' as const), projectId: id, contractId: id, allocationId: id }),
  fc.record({ kind: fc.constant('quota_held' as const), projectId: id, contractId: id, claimId: id, allocationId: id }),
  fc.record({ kind: fc.constant('expense' as const), projectId: id, allocationId: id, category }),
);

describe('account references', () => {
  it('spell the codes of design §4’s families', () => {
    const refs: [WorkflowAccountRef, string][] = [
      [{ kind: 'fund', allocationId: 3, dedicatedAccountId: 1 }, 'fund:A3'],
      [{ kind: 'appropriation', allocationId: 3 }, 'appropriation:A3'],
      [{ kind: 'quota_unallocated', allocationId: 3 }, 'quota:unallocated:A3'],
      [{ kind: 'quota_project', projectId: 5, allocationId: 3 }, 'quota:project:P5:A3'],
      [{ kind: 'quota_spent', projectId: 5, allocationId: 3 }, 'quota:spent:P5:A3'],
      [{ kind: 'quota_committed', projectId: 5, contractId: 7, allocationId: 3 }, 'quota:committed:C7:A3'],
      [{ kind: 'retention', projectId: 5, contractId: 7, allocationId: 3 }, 'retention:C7:A3'],
      [{ kind: 'quota_held', projectId: 5, contractId: 7, claimId: 9, allocationId: 3 }, 'quota:held:C7:K9:A3'],
      [{ kind: 'expense', projectId: 5, allocationId: 3, category: 'infrastructure' }, 'expense:P5:A3:infrastructure'],
    ];
    expect(refs.map(([ref]) => codeOf(ref))).toEqual(refs.map(([, code]) => code));
    expect(bankCode('D001')).toBe('bank:D001');
  });

  it('read a code back as its kind, and never give two accounts one code', () => {
    // What a code spells: a contract's project and an allocation's dedicated account follow from the contract and the allocation.
    const spelled = (r: WorkflowAccountRef) => {
      const d = dimensionsOf(r);
      return JSON.stringify({ ...d, dedicatedAccountId: null, projectId: d.contractId === null ? d.projectId : null });
    };
    fc.assert(
      fc.property(workflowRef, workflowRef, (a, b) => workflowKindOfCode(codeOf(a)) === a.kind && (codeOf(a) === codeOf(b)) === (spelled(a) === spelled(b))),
    );
    expect(workflowKindOfCode('bank:D001')).toBeNull();
    expect(workflowKindOfCode('equity:A')).toBeNull();
  });

  it('give each kind its type and book, and every dimension a value or null', () => {
    expect(['bank', 'fund', 'retention', 'expense'].map((k) => [typeOfKind(k as AccountRef['kind']), bookOf(typeOfKind(k as AccountRef['kind']))])).toEqual([
      ['asset', 'financial'],
      ['net_assets', 'financial'],
      ['liability', 'financial'],
      ['expense', 'financial'],
    ]);
    expect(dimensionsOf({ kind: 'quota_committed', projectId: 5, contractId: 7, allocationId: 3 })).toEqual({
      kind: 'quota_committed',
      allocationId: 3,
      projectId: 5,
      contractId: 7,
      claimId: null,
      dedicatedAccountId: null,
      category: null,
    });
  });
});
