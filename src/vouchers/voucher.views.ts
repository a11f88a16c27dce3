import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class VoucherView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['posting', 'reversal'] }) kind: 'posting' | 'reversal';
  @ApiProperty({ enum: ['draft', 'posted'] }) state: 'draft' | 'posted';
  @ApiProperty({ description: 'The entry as drafted', type: 'object', additionalProperties: true }) request: Record<string, unknown>;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) reversesId: string | null;
  @ApiProperty({ description: 'User id of the drafter' }) draftedBy: number;
  @ApiProperty() draftedAt: string;
  @ApiPropertyOptional({ nullable: true }) approvedBy: number | null;
  @ApiPropertyOptional({ nullable: true }) approvedAt: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) transactionId: string | null;
}

/** A voucher as the list shows it: enough to read without opening it, and where the next page starts. */
export class VoucherListItemView extends VoucherView {
  @ApiProperty({ description: 'Pass as `after` to get the rows after this one (opaque)' }) cursor: string;
  @ApiProperty({ description: 'The drafter’s display name' }) draftedByName: string;
  @ApiPropertyOptional({ nullable: true, description: 'A posting’s memo; a reversal’s reason' }) memo: string | null;
  @ApiPropertyOptional({ nullable: true, description: '業務日期 as drafted; null for a reversal drafted without one (it takes the day it is approved)' })
  effectiveDate: string | null;
  @ApiPropertyOptional({
    nullable: true,
    example: '1000000.00',
    description: 'The sum of the drafted debit lines (both books, when the entry has lines in both); null for a reversal',
  })
  amount: string | null;
}
