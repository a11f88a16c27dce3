import type { Schema } from './api/client';

export type ProjectCategory = Schema<'ProjectView'>['category'];

/** The project categories (design §5), as a project and the categories an allocation permits both name them. */
export const PROJECT_CATEGORY_LABELS: Record<ProjectCategory, string> = {
  industry: '產業發展',
  infrastructure: '基礎設施',
  social_services: '公共服務',
  training: '教育培訓',
  work_for_relief: '以工代賑',
  other: '其他',
};
