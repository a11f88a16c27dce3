import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsAmount, IsBankAccount } from '../common/validation';

export class RecordInspectionDto {
  @ApiProperty({ enum: ['pass', 'fail'] })
  @IsIn(['pass', 'fail'])
  result: 'pass' | 'fail';

  @ApiPropertyOptional({ description: '1-based stage of the schedule verified; omitted: the contract as a whole' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  stage?: number;

  @ApiProperty({ example: '路基壓實度達標' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  notes: string;
}

export class InspectionView {
  @ApiProperty() id: number;
  @ApiProperty() contractId: number;
  @ApiPropertyOptional({ nullable: true }) stage: number | null;
  @ApiProperty({ enum: ['pass', 'fail'] }) result: string;
  @ApiProperty() notes: string;
  @ApiProperty() inspector: string;
  @ApiProperty() at: string;
}

export class PayDto {
  @ApiProperty({ example: '80000.00' })
  @IsAmount()
  amount: string;

  @ApiPropertyOptional({ description: '1-based stage of the schedule this payment is for (required when there is a schedule)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  stage?: number;

  @ApiProperty({ example: '82010000000999', description: "Must be the contract's payee account (8-32 digits; spaces and - between them are ignored)" })
  @IsBankAccount()
  payeeAccount: string;
}

export class PaymentView {
  @ApiProperty() id: number;
  @ApiProperty() contractId: number;
  @ApiPropertyOptional({ nullable: true }) stage: number | null;
  @ApiProperty({ example: '80000.00' }) amount: string;
  @ApiProperty({ example: '12000.00', description: 'Withheld into the contract’s retention: round-half-up(amount × rate)' }) retention: string;
  @ApiProperty({ example: '68000.00' }) net: string;
  @ApiProperty({ format: 'uuid' }) transactionId: string;
  @ApiProperty({ description: 'Paid so far on the contract, this payment included' }) paidToDate: string;
  @ApiProperty({ description: 'Retention the contract holds after this payment (from the ledger)' }) retentionHeld: string;
}
