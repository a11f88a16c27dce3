/** Who issued a fund allocation (指標). */
export const ISSUING_LEVELS = ['central', 'provincial', 'city', 'county'] as const;
export type IssuingLevel = (typeof ISSUING_LEVELS)[number];

/** Fund types of the source document and the 2021 reform; a county may receive others, recorded as given. */
export const FUND_TYPES = [
  '財政專項扶貧資金',
  '以工代賑',
  '少數民族發展資金',
  '整合涉農資金',
  '社會捐贈',
  '銜接推進鄉村振興補助資金',
  '其他',
] as const;
export type FundType = (typeof FUND_TYPES)[number];

/** Project categories (design §5); an allocation names the ones it may pay for (專款專用). */
export const PROJECT_CATEGORIES = ['industry', 'infrastructure', 'social_services', 'training', 'work_for_relief', 'other'] as const;
export type ProjectCategory = (typeof PROJECT_CATEGORIES)[number];

/** Prefixes of the per-source account families: the allocation id follows (…:A<allocation id>). */
export const perSource = {
  project: (projectId: number) => `quota:project:P${projectId}:A`,
  committed: (contractId: number) => `quota:committed:C${contractId}:A`,
  spent: (projectId: number) => `quota:spent:P${projectId}:A`,
  retention: (contractId: number) => `retention:C${contractId}:A`,
  /** A claim's budget hold, drawn from its contract's commitment at township review (K: the claim). */
  held: (contractId: number, claimId: number) => `quota:held:C${contractId}:K${claimId}:A`,
};

/** Every claim hold on a contract: the prefix its held accounts share. */
export const heldOnContract = (contractId: number) => `quota:held:C${contractId}:K`;

/** Ledger account codes of the funds (design §4 families), one place for their spelling. */
export const fundAccounts = {
  bank: (dedicatedCode: string) => `bank:${dedicatedCode}`,
  fund: (allocationId: number) => `fund:A${allocationId}`,
  unallocated: (allocationId: number) => `quota:unallocated:A${allocationId}`,
  appropriation: (allocationId: number) => `appropriation:A${allocationId}`,
  project: (projectId: number, allocationId: number) => `${perSource.project(projectId)}${allocationId}`,
  committed: (contractId: number, allocationId: number) => `${perSource.committed(contractId)}${allocationId}`,
  spent: (projectId: number, allocationId: number) => `${perSource.spent(projectId)}${allocationId}`,
  expense: (projectId: number, allocationId: number, category: string) => `expense:P${projectId}:A${allocationId}:${category}`,
  retention: (contractId: number, allocationId: number) => `${perSource.retention(contractId)}${allocationId}`,
  held: (contractId: number, claimId: number, allocationId: number) => `${perSource.held(contractId, claimId)}${allocationId}`,
};
