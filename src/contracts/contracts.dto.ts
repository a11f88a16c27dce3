import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsAmount, IsIsoDate } from '../common/validation';

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

  @ApiProperty({ example: '8201000000999' })
  @Matches(/^[0-9 -]{4,40}$/, { message: 'account must be 4-40 digits (spaces and - allowed)' })
  account: string;
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
  reference: string;

  @ApiProperty({ example: '2026-04-01' })
  @IsIsoDate()
  date: string;
}

export class LettersDto {
  @ApiProperty({ type: LetterDto })
  @ValidateNested()
  @Type(() => LetterDto)
  countyToTownship: LetterDto;

  @ApiProperty({ type: LetterDto })
  @ValidateNested()
  @Type(() => LetterDto)
  townshipToVillage: LetterDto;
}

export class DraftContractDto {
  @ApiProperty({ example: '溫泉鎮一村通村公路硬化' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ type: PayeeDto })
  @ValidateNested()
  @Type(() => PayeeDto)
  payee: PayeeDto;

  @ApiProperty({ example: '200000.00' })
  @IsAmount()
  amount: string;

  @ApiPropertyOptional({ type: RetentionOverrideDto, description: "Default: the policy's retention rate on the signing date" })
  @IsOptional()
  @ValidateNested()
  @Type(() => RetentionOverrideDto)
  retentionOverride?: RetentionOverrideDto;

  @ApiPropertyOptional({ type: [StageDto], description: 'Stages summing to 100%, e.g. 40/50/10' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => StageDto)
  schedule?: StageDto[];

  @ApiPropertyOptional({ type: TenderDto, description: 'Required above the policy tender threshold' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TenderDto)
  tender?: TenderDto;

  @ApiProperty({ type: LettersDto })
  @ValidateNested()
  @Type(() => LettersDto)
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
