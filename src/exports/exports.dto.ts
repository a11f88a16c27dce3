import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsIsoDate } from '../common/validation';

export const TABLE_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

/** The period an export covers: effective dates `from` to `to`, both included. */
export class PeriodQueryDto {
  @ApiProperty({ example: '2026-01-01', description: 'First effective date of the period' })
  @IsIsoDate()
  from: string;

  @ApiProperty({ example: '2026-12-31', description: 'Last effective date of the period (on or after `from`)' })
  @IsIsoDate()
  to: string;
}

export class TableExportQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: TABLE_FORMATS, default: 'csv', description: 'pdf: the trial balance, and the subsidiary ledger of one `account`' })
  @IsOptional()
  @IsIn(TABLE_FORMATS)
  format?: TableFormat;

  @ApiPropertyOptional({ description: 'The subsidiary ledger of this account code only (required for its PDF)', example: 'bank:42112401' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  account?: string;
}

export class AuditPackageQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ default: false, description: 'Include the claims’ attachments (scans can make the package large)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  attachments?: boolean;
}
