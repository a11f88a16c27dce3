import type { Role } from '../../../auth';
import { ROLE_LABELS } from '../../../nav';

/** Every role as a checkbox option, in ROLE_LABELS' order. */
export const ROLE_OPTIONS = (Object.keys(ROLE_LABELS) as Role[]).map((r) => ({ value: r, label: ROLE_LABELS[r] }));

export const PASSWORD_HINT = '至少 12 個字符，不要用常見的詞、重複或連續的字符，也不要含用戶的姓名；用戶下次登錄時須改為自己的密碼';
