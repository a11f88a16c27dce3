import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { DomainError, ErrorCode } from '../../common/errors';
import { money } from '../../common/money';
import { PageQueryDto } from '../../common/pagination';
import { IsAmount, IsIsoDate, NestedArray } from '../../common/validation';
import { ACCOUNT_TYPE_NAMES, AccountType, BOOKS, Book } from '../domain/accounts';
import { Entry, credit, debit } from '../domain/entry';

/** Letters, digits and : . _ -, and not spelled as a family the workflows keep (`codeOf` in domain/account-refs.ts). */
const ACCOUNT_CODE = /^(?!(fund|quota|appropriation|retention):|expense:P\d+:)[A-Za-z0-9][A-Za-z0-9:._-]{0,63}$/;

export class OpenAccountDto {
  @ApiProperty({ example: 'bank:D001', description: 'Unique in the county: letters, digits and : . _ -' })
  @Matches(ACCOUNT_CODE, {
    message:
      'code must be 1-64 letters, digits or : . _ - starting with a letter or digit, outside the families the workflows keep (fund:, quota:, appropriation:, retention:, expense:P<n>:)',
  })
  code: string;

  @ApiProperty({ example: '英山縣扶貧資金專戶' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: BOOKS })
  @IsIn(BOOKS)
  book: Book;

  @ApiProperty({ enum: ACCOUNT_TYPE_NAMES })
  @IsIn(ACCOUNT_TYPE_NAMES)
  type: AccountType;

  @ApiProperty({ description: 'Whether the balance may go below zero (bank and quota accounts: false)' })
  @IsBoolean()
  allowNegative: boolean;
}

export class PostingLineDto {
  @ApiProperty({ example: 'bank:D001' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  account: string;

  @ApiPropertyOptional({ example: '1000.00', description: 'Exactly one of debit and credit' })
  @IsOptional()
  @IsAmount()
  debit?: string;

  @ApiPropertyOptional({ example: '1000.00' })
  @IsOptional()
  @IsAmount()
  credit?: string;
}

export class PostTransactionDto {
  @ApiProperty({ example: '2026-03-01', description: '業務日期: the date the transaction belongs to' })
  @IsIsoDate()
  effectiveDate: string;

  @ApiProperty({ example: '2026年中央財政專項扶貧資金到帳' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  memo: string;

  @ApiProperty({ type: [PostingLineDto], minItems: 2, maxItems: 200 })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(200)
  @NestedArray(() => PostingLineDto)
  lines: PostingLineDto[];
}

/**
 * A manual entry as the ledger posts it, converted once where it comes in: accounts named by their codes, amounts as
 * decimals, each line on exactly one side.
 */
export function entryOf(dto: PostTransactionDto): Entry {
  const fields = dto.lines.flatMap((l, i) =>
    (l.debit === undefined) === (l.credit === undefined) ? [{ field: `lines.${i}`, message: 'a line has exactly one of debit and credit' }] : [],
  );
  if (fields.length > 0) throw new DomainError(ErrorCode.ValidationFailed, 'The request is not valid', { fields });
  return {
    effectiveDate: dto.effectiveDate,
    memo: dto.memo,
    purpose: 'manual',
    lines: dto.lines.map((l) => (l.debit !== undefined ? debit({ code: l.account }, money(l.debit)) : credit({ code: l.account }, money(l.credit!)))),
  };
}

export class ReverseTransactionDto {
  @ApiProperty({ example: '金額錄入錯誤' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;

  @ApiPropertyOptional({ example: '2026-03-02', description: 'Defaults to today' })
  @IsOptional()
  @IsIsoDate()
  effectiveDate?: string;
}

/** Letters, digits and : . _ -: every account code, including those the workflows keep. */
const ANY_CODE = /^[A-Za-z0-9:._-]{1,64}$/;

export class AccountQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: BOOKS })
  @IsOptional()
  @IsIn(BOOKS)
  book?: Book;

  @ApiPropertyOptional({ enum: ACCOUNT_TYPE_NAMES })
  @IsOptional()
  @IsIn(ACCOUNT_TYPE_NAMES)
  type?: AccountType;

  @ApiPropertyOptional({ example: 'quota:project:', description: 'Only accounts whose code starts with this' })
  @IsOptional()
  @Matches(ANY_CODE, { message: 'codePrefix must be 1-64 letters, digits or : . _ -' })
  codePrefix?: string;

  @ApiPropertyOptional({ description: 'Return accounts whose code comes after this one (the last code of the previous page)' })
  @IsOptional()
  @Matches(ANY_CODE, { message: 'afterCode must be an account code' })
  afterCode?: string;
}

export class StatementQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'First effective date included' })
  @IsOptional()
  @IsIsoDate()
  from?: string;

  @ApiPropertyOptional({ description: 'Last effective date included' })
  @IsOptional()
  @IsIsoDate()
  to?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  // At most 18 digits: always within bigint, so the database never sees an out-of-range number.
  @Matches(/^[0-9]{1,18}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class TrialBalanceQueryDto {
  @ApiPropertyOptional({ enum: BOOKS })
  @IsOptional()
  @IsIn(BOOKS)
  book?: Book;

  @ApiPropertyOptional({ description: 'Balances as of the end of this effective date; default: now' })
  @IsOptional()
  @IsIsoDate()
  asOf?: string;
}
