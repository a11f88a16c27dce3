import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IdPageQueryDto } from '../common/pagination';
import { IsAmount, IsBankAccount, IsIsoDate } from '../common/validation';
import { FUND_TYPES, ISSUING_LEVELS, PROJECT_CATEGORIES } from './domain/funds';

export class OpenDedicatedAccountDto {
  @ApiProperty({ example: 'D001', description: 'Short code; the ledger account is bank:<code>' })
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'code must be 1-32 letters, digits, _ or -' })
  code: string;

  @ApiProperty({ example: '湖北英山農村商業銀行' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  bankName: string;

  @ApiProperty({ example: '英山縣財政局扶貧資金專戶' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  accountName: string;

  @ApiProperty({ example: '82010000000123456' })
  @IsBankAccount()
  accountNumber: string;

  @ApiProperty({ description: 'The responsible officer (專人): a user of the county' })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  officerId: number;
}

export class DedicatedAccountView {
  @ApiProperty() id: number;
  @ApiProperty() code: string;
  @ApiProperty() bankName: string;
  @ApiProperty() accountName: string;
  @ApiProperty() accountNumber: string;
  @ApiProperty() officerId: number;
  @ApiProperty({ example: 'bank:D001' }) ledgerAccount: string;
  @ApiProperty({ example: '1000000.00' }) balance: string;
}

export class RegisterAllocationDto {
  @ApiProperty({ example: '鄂財農發〔2026〕12號', description: '文號, unique in the county' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  documentNumber: string;

  @ApiProperty({ enum: ISSUING_LEVELS })
  @IsIn(ISSUING_LEVELS)
  issuingLevel: string;

  @ApiProperty({ enum: FUND_TYPES })
  @IsIn(FUND_TYPES)
  fundType: string;

  @ApiProperty({ example: 2026 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear: number;

  @ApiProperty({ example: '19290000.00' })
  @IsAmount()
  amount: string;

  @ApiProperty({ enum: PROJECT_CATEGORIES, isArray: true, description: 'The project categories it may pay for' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PROJECT_CATEGORIES.length)
  @IsIn(PROJECT_CATEGORIES, { each: true })
  permittedCategories: string[];

  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  dedicatedAccountId: number;

  @ApiProperty({ example: '2026-03-01', description: 'The date the money reached the dedicated account (業務日期)' })
  @IsIsoDate()
  receivedOn: string;
}

export class AllocationQueryDto extends IdPageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ enum: FUND_TYPES })
  @IsOptional()
  @IsIn(FUND_TYPES)
  fundType?: string;
}

export class AllocationView {
  @ApiProperty() id: number;
  @ApiProperty() documentNumber: string;
  @ApiProperty({ enum: ISSUING_LEVELS }) issuingLevel: string;
  @ApiProperty({ enum: FUND_TYPES }) fundType: string;
  @ApiProperty() fiscalYear: number;
  @ApiProperty({ example: '1000000.00' }) amount: string;
  @ApiProperty({ enum: PROJECT_CATEGORIES, isArray: true }) permittedCategories: string[];
  @ApiProperty() dedicatedAccountId: number;
  @ApiProperty() receivedOn: string;
  @ApiProperty({ format: 'uuid' }) receiptTransactionId: string;
  @ApiProperty({ description: 'From the ledger: the fund account (net assets) of the allocation' }) received: string;
  @ApiProperty({ description: 'From the ledger: quota not yet allocated to projects' }) unallocated: string;
}
