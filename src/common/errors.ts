/** Stable error codes of the API. Clients match on these, so a code is never renamed or reused. */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  MalformedJson = 'MALFORMED_JSON',
  UnreadableBody = 'UNREADABLE_BODY',
  AmountOutOfRange = 'AMOUNT_OUT_OF_RANGE',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  NotFound = 'NOT_FOUND',
  UnknownAccount = 'UNKNOWN_ACCOUNT',
  DuplicateAccount = 'DUPLICATE_ACCOUNT',
  UnbalancedTransaction = 'UNBALANCED_TRANSACTION',
  InsufficientBalance = 'INSUFFICIENT_BALANCE',
  DedicatedAccountOutflow = 'DEDICATED_ACCOUNT_OUTFLOW',
  CategoryNotPermitted = 'CATEGORY_NOT_PERMITTED',
  ReservedAccount = 'RESERVED_ACCOUNT',
  TenderRequired = 'TENDER_REQUIRED',
  BudgetExceeded = 'BUDGET_EXCEEDED',
  ContractNotSigned = 'CONTRACT_NOT_SIGNED',
  OverContract = 'OVER_CONTRACT',
  BeyondStage = 'BEYOND_STAGE',
  InspectionFailed = 'INSPECTION_FAILED',
  AcceptanceRequired = 'ACCEPTANCE_REQUIRED',
  PayeeMismatch = 'PAYEE_MISMATCH',
  DepartmentNotRequired = 'DEPARTMENT_NOT_REQUIRED',
  RetentionExceeded = 'RETENTION_EXCEEDED',
  DefectPeriod = 'DEFECT_PERIOD',
  DuplicateDocument = 'DUPLICATE_DOCUMENT',
  DuplicateInvoice = 'DUPLICATE_INVOICE',
  DocumentsMissing = 'DOCUMENTS_MISSING',
  InvoiceTotalMismatch = 'INVOICE_TOTAL_MISMATCH',
  ExpenseTotalMismatch = 'EXPENSE_TOTAL_MISMATCH',
  ApplicationBeforeAcceptance = 'APPLICATION_BEFORE_ACCEPTANCE',
  SignoffBeforeApplication = 'SIGNOFF_BEFORE_APPLICATION',
  LineReviewFailed = 'LINE_REVIEW_FAILED',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  AttachmentTampered = 'ATTACHMENT_TAMPERED',
  IdempotencyMismatch = 'IDEMPOTENCY_MISMATCH',
  AlreadyReversed = 'ALREADY_REVERSED',
  ReversalOfReversal = 'REVERSAL_OF_REVERSAL',
  Unauthenticated = 'UNAUTHENTICATED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  TooManyAttempts = 'TOO_MANY_ATTEMPTS',
  ForbiddenRole = 'FORBIDDEN_ROLE',
  PasswordChangeRequired = 'PASSWORD_CHANGE_REQUIRED',
  SameHand = 'SAME_HAND',
  DuplicateUser = 'DUPLICATE_USER',
  DuplicateOrgUnit = 'DUPLICATE_ORG_UNIT',
  InvalidState = 'INVALID_STATE',
  PublicityRequired = 'PUBLICITY_REQUIRED',
  PublicityRunning = 'PUBLICITY_RUNNING',
  ObjectionOpen = 'OBJECTION_OPEN',
  ObjectionUpheld = 'OBJECTION_UPHELD',
  UnprintableText = 'UNPRINTABLE_TEXT',
  /** A consistent cut (the audit package) could not be taken while events kept arriving unsealed: try again. */
  SnapshotBusy = 'SNAPSHOT_BUSY',
  /** As many exports as the instance streams at once are running: try again when one has finished. */
  ExportsBusy = 'EXPORTS_BUSY',
  Internal = 'INTERNAL_ERROR',
}

export interface FieldError {
  field: string;
  message: string;
}

export interface ErrorDetails {
  fields?: FieldError[];
  [key: string]: unknown;
}

/** A refusal the domain explains to the caller; the HTTP status follows from the code alone. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A refusal of one field's value: 400 VALIDATION_FAILED naming the field. */
export function invalidField(field: string, message: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, message, { fields: [{ field, message }] });
}

export function assertUnreachable(value: never): never {
  throw new Error(`unreachable: ${String(value)}`);
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
    case ErrorCode.MalformedJson:
    case ErrorCode.UnreadableBody:
      return 400;
    case ErrorCode.PayloadTooLarge:
      return 413;
    case ErrorCode.UnsupportedMediaType:
      return 415;
    case ErrorCode.Unauthenticated:
    case ErrorCode.InvalidCredentials:
      return 401;
    case ErrorCode.ForbiddenRole:
    case ErrorCode.PasswordChangeRequired:
    case ErrorCode.SameHand:
      return 403;
    case ErrorCode.TooManyAttempts:
      return 429;
    case ErrorCode.SnapshotBusy:
    case ErrorCode.ExportsBusy:
      return 503;
    case ErrorCode.NotFound:
      return 404;
    case ErrorCode.AmountOutOfRange:
    case ErrorCode.UnknownAccount:
    case ErrorCode.UnbalancedTransaction:
    case ErrorCode.InsufficientBalance:
    case ErrorCode.DedicatedAccountOutflow:
    case ErrorCode.CategoryNotPermitted:
    case ErrorCode.ReservedAccount:
    case ErrorCode.TenderRequired:
    case ErrorCode.BudgetExceeded:
    case ErrorCode.OverContract:
    case ErrorCode.BeyondStage:
    case ErrorCode.InspectionFailed:
    case ErrorCode.AcceptanceRequired:
    case ErrorCode.PayeeMismatch:
    case ErrorCode.DepartmentNotRequired:
    case ErrorCode.RetentionExceeded:
    case ErrorCode.DefectPeriod:
    case ErrorCode.DocumentsMissing:
    case ErrorCode.InvoiceTotalMismatch:
    case ErrorCode.ExpenseTotalMismatch:
    case ErrorCode.ApplicationBeforeAcceptance:
    case ErrorCode.SignoffBeforeApplication:
    case ErrorCode.LineReviewFailed:
    case ErrorCode.PublicityRequired:
    case ErrorCode.PublicityRunning:
    case ErrorCode.ObjectionOpen:
    case ErrorCode.ObjectionUpheld:
    case ErrorCode.UnprintableText:
      return 422;
    case ErrorCode.ContractNotSigned:
      return 409;
    case ErrorCode.DuplicateAccount:
    case ErrorCode.IdempotencyMismatch:
    case ErrorCode.AlreadyReversed:
    case ErrorCode.ReversalOfReversal:
    case ErrorCode.DuplicateUser:
    case ErrorCode.DuplicateOrgUnit:
    case ErrorCode.DuplicateDocument:
    case ErrorCode.DuplicateInvoice:
    case ErrorCode.AttachmentTampered:
    case ErrorCode.InvalidState:
      return 409;
    case ErrorCode.Internal:
      return 500;
    default:
      return assertUnreachable(code);
  }
}
