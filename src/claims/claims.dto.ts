import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IdPageQueryDto } from '../common/pagination';
import { IsAmount, IsBankAccount, IsInvoiceCode, IsInvoiceNumber, IsIsoDate, IsTaxpayerId, NestedArray } from '../common/validation';
import { CLAIM_STATES, CLAIM_STEPS, DOCUMENT_KINDS } from './domain/claims';
import { EXPENSE_CATEGORIES, EXPENSE_CATEGORY_CODES, ExpenseCategory } from './domain/expense-categories';

const MAX_ID = 2_147_483_647;

export class ExpenseLineDto {
  @ApiProperty({ example: '路面混凝土 C30，1,200 立方米' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  description: string;

  @ApiProperty({ example: '60000.00' })
  @IsAmount()
  amount: string;

  @ApiPropertyOptional({
    enum: EXPENSE_CATEGORY_CODES,
    description: `What the line pays for: ${EXPENSE_CATEGORY_CODES.map((c) => `${c} ${EXPENSE_CATEGORIES[c]}`).join(', ')}`,
  })
  @IsOptional()
  @IsIn(EXPENSE_CATEGORY_CODES)
  category?: ExpenseCategory;
}

/**
 * An invoice is identified by its issuer's taxpayer id and its code and number (or the 20-digit number of a fully
 * digital invoice), all checked to their formats and kept canonical: it is claimed once in the county (虛報冒領).
 */
export class InvoiceDto {
  @ApiProperty({ example: '英山縣路橋工程有限公司', description: 'Name of the issuer, as printed (shown, not matched)' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  issuer: string;

  @ApiProperty({ example: '91421124MA4F0B3K57', description: "The issuer's unified social credit code (統一社會信用代碼, GB 32100): the issuer's identity" })
  @IsTaxpayerId()
  issuerTaxId: string;

  @ApiPropertyOptional({ example: '4200261130', description: 'Invoice code (發票代碼), 10 or 12 digits; absent for a fully digital invoice (數電發票)' })
  @IsOptional()
  @IsInvoiceCode()
  code?: string;

  @ApiProperty({ example: '04200123', description: 'Invoice number: 8 digits with a code, else the 20-digit number of a fully digital invoice' })
  @IsInvoiceNumber()
  number: string;

  @ApiProperty({ example: '2026-06-20' })
  @IsIsoDate()
  date: string;

  @ApiProperty({ example: '80000.00' })
  @IsAmount()
  amount: string;
}

/** The packet of a claim: what the village fills in; the scans are uploaded as attachments. */
export class ClaimPacketDto {
  @ApiProperty({ example: '80000.00' })
  @IsAmount()
  amount: string;

  @ApiPropertyOptional({ description: '1-based stage of the contract schedule (required when the contract has one)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  stage?: number;

  @ApiProperty({ description: 'The last claim of the contract: needs a passed acceptance' })
  @IsBoolean()
  final: boolean;

  @ApiPropertyOptional({ description: 'The passed acceptance of the contract (final claims)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  acceptanceId?: number;

  @ApiProperty({ example: '2026-06-25', description: 'Date of the application (報帳申請)' })
  @IsIsoDate()
  applicationDate: string;

  @ApiProperty({ type: [ExpenseLineDto], description: 'Expense detail; adds up to the amount' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @NestedArray(() => ExpenseLineDto)
  expenses: ExpenseLineDto[];

  @ApiProperty({ type: [InvoiceDto], description: 'Invoices; add up to the amount' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @NestedArray(() => InvoiceDto)
  invoices: InvoiceDto[];
}

export class DraftClaimDto extends ClaimPacketDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  contractId: number;
}

export class TownshipReviewDto {
  @ApiProperty({ example: '2026-06-28', description: 'The township sign-off date: not before the application' })
  @IsIsoDate()
  signedOn: string;

  @ApiProperty({ example: '單據齊全，金額相符' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  opinion: string;
}

export class LineReviewDto {
  @ApiProperty({ enum: ['pass', 'fail'], description: '督查一把尺: a fail keeps county finance from approving' })
  @IsIn(['pass', 'fail'])
  result: 'pass' | 'fail';

  @ApiProperty({ example: '工程量與合同一致' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  opinion: string;
}

export class ApproveClaimDto {
  @ApiProperty({ example: '同意撥付' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  opinion: string;
}

export class RejectClaimDto {
  @ApiProperty({ example: '發票與工程量不符，請補正' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}

export class PayClaimDto {
  @ApiProperty({ example: '82010000000999', description: "Must be the contract's payee account (8-32 digits; spaces and - between them are ignored)" })
  @IsBankAccount()
  payeeAccount: string;
}

export class UploadAttachmentDto {
  @ApiProperty({ enum: DOCUMENT_KINDS })
  @IsIn(DOCUMENT_KINDS)
  kind: string;
}

export class ClaimQueryDto extends IdPageQueryDto {
  @ApiPropertyOptional({ enum: CLAIM_STATES })
  @IsOptional()
  @IsIn(CLAIM_STATES)
  state?: string;

  @ApiPropertyOptional({ description: 'Org unit id of a township' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  townshipId?: number;

  @ApiPropertyOptional({ description: 'Org unit id of a village' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  villageId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  projectId?: number;
}

export class ClaimInvoiceView {
  @ApiProperty() issuer: string;
  @ApiProperty() issuerTaxId: string;
  @ApiPropertyOptional() code?: string;
  @ApiProperty() number: string;
  @ApiProperty() date: string;
  @ApiProperty() amount: string;
}

export class ClaimStepView {
  @ApiProperty() version: number;
  @ApiProperty({ enum: CLAIM_STEPS }) step: string;
  @ApiPropertyOptional({ nullable: true }) result: string | null;
  @ApiPropertyOptional({ nullable: true }) note: string | null;
  @ApiProperty() actor: string;
  @ApiProperty() at: string;
}

export class AttachmentView {
  @ApiProperty() id: number;
  @ApiProperty() claimId: number;
  @ApiProperty() version: number;
  @ApiProperty({ enum: DOCUMENT_KINDS }) kind: string;
  @ApiProperty() filename: string;
  @ApiProperty({ enum: ['application/pdf', 'image/jpeg', 'image/png'] }) contentType: string;
  @ApiProperty() size: number;
  @ApiProperty({ description: 'SHA-256 of the content, hex; also in the event log' }) sha256: string;
  @ApiProperty() uploadedBy: string;
  @ApiProperty() at: string;
}

export class ClaimView {
  @ApiProperty() id: number;
  @ApiProperty() contractId: number;
  @ApiProperty() projectId: number;
  @ApiProperty() villageId: number;
  @ApiProperty() version: number;
  @ApiProperty({ enum: CLAIM_STATES }) state: string;
  @ApiProperty({ example: '80000.00' }) amount: string;
  @ApiPropertyOptional({ nullable: true }) stage: number | null;
  @ApiProperty() final: boolean;
  @ApiPropertyOptional({ nullable: true }) acceptanceId: number | null;
  @ApiProperty() applicationDate: string;
  @ApiProperty({ type: [ExpenseLineDto] }) expenses: ExpenseLineDto[];
  @ApiProperty({ type: [ClaimInvoiceView] }) invoices: ClaimInvoiceView[];
  @ApiPropertyOptional({ nullable: true }) townshipSignedOn: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ['pass', 'fail'] }) lineResult: string | null;
  @ApiProperty({ description: 'Whether a county leader must also sign (amount above the policy threshold)' }) needsLeader: boolean;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) holdTransactionId: string | null;
  @ApiPropertyOptional({ nullable: true }) paymentId: number | null;
  @ApiProperty({ nullable: true, description: 'The step that comes next, or null when paid' }) next: string | null;
}

export class ClaimVersionView {
  @ApiProperty() version: number;
  @ApiProperty({ description: 'The packet as drafted or corrected' }) packet: Record<string, unknown>;
  @ApiProperty() createdBy: string;
  @ApiProperty() at: string;
}

export class ClaimDetailView extends ClaimView {
  @ApiProperty({ type: [ClaimStepView] }) history: ClaimStepView[];
  @ApiProperty({ type: [AttachmentView] }) attachments: AttachmentView[];
  @ApiProperty({ type: [ClaimVersionView] }) versions: ClaimVersionView[];
}
