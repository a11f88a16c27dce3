import { ApiError } from './api/client';

/**
 * What each refusal of the API means, in words a county clerk reads. The API's own message (English, precise)
 * follows it where it adds what the code alone cannot say (which account, how much is left).
 */
export const ERROR_MESSAGES: Record<string, string> = {
  VALIDATION_FAILED: '填寫有誤，請按標出的欄位修改',
  MALFORMED_JSON: '請求格式有誤',
  UNREADABLE_BODY: '請求內容無法讀取',
  AMOUNT_OUT_OF_RANGE: '金額超出允許範圍',
  PAYLOAD_TOO_LARGE: '文件或內容過大',
  NOT_FOUND: '找不到該記錄，或不在您的權限範圍內',
  UNKNOWN_ACCOUNT: '科目不存在',
  DUPLICATE_ACCOUNT: '科目已存在',
  UNBALANCED_TRANSACTION: '借貸不平衡',
  INSUFFICIENT_BALANCE: '餘額不足',
  DEDICATED_ACCOUNT_OUTFLOW: '專戶資金只能用於項目支付（三專制）',
  CATEGORY_NOT_PERMITTED: '該資金不允許用於此類項目（專款專用）',
  RESERVED_ACCOUNT: '該科目由系統記帳，不能手工記帳',
  TENDER_REQUIRED: '超過招標限額，須登記招標記錄',
  BUDGET_EXCEEDED: '超出項目預算',
  CONTRACT_NOT_SIGNED: '合同未簽訂，不能支付',
  OVER_CONTRACT: '累計支付將超過合同金額',
  BEYOND_STAGE: '超出合同付款進度',
  INSPECTION_FAILED: '檢查未通過，不能支付',
  ACCEPTANCE_REQUIRED: '須先通過竣工驗收',
  PAYEE_MISMATCH: '收款帳戶與合同不一致',
  DEPARTMENT_NOT_REQUIRED: '該部門不是此次驗收的簽署部門',
  RETENTION_EXCEEDED: '超過可退還或沒收的質量保證金',
  DEFECT_PERIOD: '仍在缺陷責任期內',
  DUPLICATE_DOCUMENT: '文件已上傳過',
  DUPLICATE_INVOICE: '該發票已報帳，不能重複報帳',
  DOCUMENTS_MISSING: '報帳資料不齊',
  INVOICE_TOTAL_MISMATCH: '發票合計與報帳金額不符',
  EXPENSE_TOTAL_MISMATCH: '支出明細合計與報帳金額不符',
  APPLICATION_BEFORE_ACCEPTANCE: '申請日期早於驗收日期',
  SIGNOFF_BEFORE_APPLICATION: '鄉鎮審核日期早於申請日期',
  LINE_REVIEW_FAILED: '業務主管部門督查未通過，不能審批',
  UNSUPPORTED_MEDIA_TYPE: '只能上傳 PDF、JPEG 或 PNG 文件',
  ATTACHMENT_TAMPERED: '文件與上傳時的記錄不符',
  IDEMPOTENCY_MISMATCH: '這項操作剛才已經提交成功，但內容與現在不同：請先到列表查看已保存的記錄，不要重複提交',
  ALREADY_REVERSED: '該憑證已沖銷過',
  REVERSAL_OF_REVERSAL: '沖銷憑證不能再沖銷',
  UNAUTHENTICATED: '登錄已過期，請重新登錄',
  INVALID_CREDENTIALS: '用戶名或密碼錯誤',
  TOO_MANY_ATTEMPTS: '嘗試次數過多，請稍後再試',
  FORBIDDEN_ROLE: '您的角色不能執行此操作',
  PASSWORD_CHANGE_REQUIRED: '請先修改密碼',
  SAME_HAND: '同一人不能經辦同一審批鏈的兩個環節（不相容崗位分離）',
  DUPLICATE_USER: '用戶名已存在',
  DUPLICATE_ORG_UNIT: '單位已存在',
  INVALID_STATE: '當前狀態下不能執行此操作',
  PUBLICITY_REQUIRED: '須先完成公示',
  PUBLICITY_RUNNING: '公示期未滿',
  OBJECTION_OPEN: '有未處理的異議',
  OBJECTION_UPHELD: '異議成立，不能繼續',
  UNPRINTABLE_TEXT: '內容含有無法打印的字符',
  SNAPSHOT_BUSY: '系統正忙，請稍後再試',
  EXPORTS_BUSY: '導出任務較多，請稍後再試',
  INTERNAL_ERROR: '系統錯誤，請聯繫管理員並提供請求編號',
};

/** The sentence a clerk sees for any error: the code's meaning, then the API's own words. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const plain = ERROR_MESSAGES[error.code];
    if (!plain) return error.message;
    if (error.code === 'VALIDATION_FAILED' && error.fields.length > 0) return plain;
    return `${plain}：${error.message}`;
  }
  if (error instanceof Error) return `網絡或系統錯誤：${error.message}`;
  return '未知錯誤';
}

/** The API names a field as `lines.0.debit`; a form names it as ['lines', 0, 'debit']. */
export function fieldPath(field: string): (string | number)[] {
  return field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
