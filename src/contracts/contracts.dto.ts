import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  Validate,
  ValidateIf,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { IsAmount, IsBankAccount, IsIdCardNumber, IsIsoDate, IsTaxpayerId, NestedArray, NestedObject } from '../common/validation';
import { isVisibleText } from './domain/letters';

@ValidatorConstraint({ name: 'visibleText' })
class VisibleText implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isVisibleText(value);
  }

  defaultMessage(): string {
    return '$property must contain visible text';
  }
}

export const PAYEE_TYPES = ['company', 'cooperative', 'individual'] as const;
const RATE = /^(0(\.\d{1,4})?|1(\.0{1,4})?)$/;
const PERCENT = /^(100|[1-9]?\d)(\.\d{1,2})?$/;

export class PayeeDto {
  @ApiProperty({ example: '英山縣路橋工程有限公司' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: PAYEE_TYPES })
  @IsIn(PAYEE_TYPES)
  type: string;

  @ApiProperty({ example: '湖北英山農村商業銀行' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  bank: string;

  @ApiProperty({ example: '82010000000999', description: '8-32 digits; spaces and - between them are ignored and not kept' })
  @IsBankAccount()
  account: string;

  @ApiPropertyOptional({ example: '91421124MA4F0B3K57', description: 'Unified social credit code (統一社會信用代碼); required for a company or cooperative' })
  @ValidateIf((p: PayeeDto) => p.type !== 'individual' || p.taxId !== undefined)
  @IsTaxpayerId()
  taxId?: string;

  @ApiPropertyOptional({ example: '421124198001010019', description: 'Resident ID number (公民身份號碼); required for an individual' })
  @ValidateIf((p: PayeeDto) => p.type === 'individual' || p.idNumber !== undefined)
  @IsIdCardNumber()
  idNumber?: string;
}

export class RetentionOverrideDto {
  @ApiProperty({ example: '0.03', description: 'Between 0 and 1, at most 4 decimals' })
  @Matches(RATE, { message: 'rate must be between 0 and 1 with at most 4 decimals, e.g. "0.03"' })
  rate: string;

  @ApiProperty({ example: '建質〔2017〕138號：工程質量保證金不得高於3%' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class StageDto {
  @ApiProperty({ example: '40', description: 'Percent of the contract amount' })
  @Matches(PERCENT, { message: 'percent must be a number from 0 to 100 with at most 2 decimals' })
  percent: string;

  @ApiProperty({ example: '路基完工' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  milestone: string;
}

export class TenderDto {
  @ApiProperty({ example: '公開招標' })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  method: string;

  @ApiProperty({ example: '2026-04-15' })
  @IsIsoDate()
  date: string;

  @ApiProperty({ example: ['英山縣路橋工程有限公司', '黃岡市第二建築公司', '羅田縣交通建設公司'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  bidders: string[];

  @ApiProperty({ example: '英山縣路橋工程有限公司' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  winner: string;
}

export class LetterDto {
  @ApiProperty({ example: '英扶責〔2026〕8號' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Validate(VisibleText)
  reference: string;

  @ApiProperty({ example: '2026-04-01' })
  @IsIsoDate()
  date: string;
}

/** 縣、鄉、村級級簽定項目建設責任書: each level signs with the next, down to whoever carries the work out. */
export class LettersDto {
  @ApiProperty({ type: LetterDto })
  @NestedObject(() => LetterDto)
  countyToTownship: LetterDto;

  @ApiProperty({ type: LetterDto })
  @NestedObject(() => LetterDto)
  townshipToVillage: LetterDto;

  @ApiProperty({ type: LetterDto, description: 'The village with the contractor (or project carrier)' })
  @NestedObject(() => LetterDto)
  villageToContractor: LetterDto;
}

export class DraftContractDto {
  @ApiProperty({ example: '溫泉鎮一村通村公路硬化' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ type: PayeeDto })
  @NestedObject(() => PayeeDto)
  payee: PayeeDto;

  @ApiProperty({ example: '200000.00' })
  @IsAmount()
  amount: string;

  @ApiPropertyOptional({ type: RetentionOverrideDto, description: "Default: the policy's retention rate on the signing date" })
  @NestedObject(() => RetentionOverrideDto, { optional: true })
  retentionOverride?: RetentionOverrideDto;

  @ApiPropertyOptional({ type: [StageDto], description: 'Stages summing to 100%, e.g. 40/50/10' })
  @IsOptional()
  @ArrayMaxSize(20)
  @NestedArray(() => StageDto)
  schedule?: StageDto[];

  @ApiPropertyOptional({ type: TenderDto, description: 'Required above the policy tender threshold' })
  @NestedObject(() => TenderDto, { optional: true })
  tender?: TenderDto;

  @ApiProperty({ type: LettersDto, description: '項目建設責任書 signed level by level: county → township → village → contractor' })
  @NestedObject(() => LettersDto)
  letters: LettersDto;
}

export class ContractView {
  @ApiProperty() id: number;
  @ApiProperty() projectId: number;
  @ApiProperty() title: string;
  @ApiProperty({ type: PayeeDto }) payee: PayeeDto;
  @ApiProperty() amount: string;
  @ApiPropertyOptional({ nullable: true, description: 'Fixed at signing' }) retentionRate: string | null;
  @ApiPropertyOptional({ type: RetentionOverrideDto, nullable: true }) retentionOverride: RetentionOverrideDto | null;
  @ApiProperty({ type: [StageDto] }) schedule: StageDto[];
  @ApiPropertyOptional({ type: TenderDto, nullable: true }) tender: TenderDto | null;
  @ApiProperty({ type: LettersDto }) letters: LettersDto;
  @ApiProperty({ enum: ['draft', 'signed'] }) state: string;
  @ApiProperty() draftedBy: number;
  @ApiPropertyOptional({ nullable: true }) signedBy: number | null;
  @ApiPropertyOptional({ nullable: true }) signedOn: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) commitTransactionId: string | null;
  @ApiProperty({ type: [String], description: 'Allowed but worth a second look' }) warnings: string[];
}
