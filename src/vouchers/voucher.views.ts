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
