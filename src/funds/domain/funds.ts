/** Who issued a fund allocation (指標). */
export const ISSUING_LEVELS = ['central', 'provincial', 'city', 'county'] as const;
export type IssuingLevel = (typeof ISSUING_LEVELS)[number];

/** Fund types of the source document and the 2021 reform; a county may receive others, recorded as given. */
export const FUND_TYPES = ['財政專項扶貧資金', '以工代賑', '少數民族發展資金', '整合涉農資金', '社會捐贈', '銜接推進鄉村振興補助資金', '其他'] as const;
export type FundType = (typeof FUND_TYPES)[number];

/** Project categories (design §5); an allocation names the ones it may pay for (專款專用). */
export const PROJECT_CATEGORIES = ['industry', 'infrastructure', 'social_services', 'training', 'work_for_relief', 'other'] as const;
export type ProjectCategory = (typeof PROJECT_CATEGORIES)[number];
