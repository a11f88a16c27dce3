import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsIsoDate } from '../common/validation';
import { POLICY_KEYS } from './policy';

export class PolicyQueryDto {
  @ApiPropertyOptional({ description: 'The date the policy is asked for; default today' })
  @IsOptional()
  @IsIsoDate()
  asOf?: string;
}

export class ProposePolicyDto {
  @ApiProperty({ enum: POLICY_KEYS })
  @IsIn(POLICY_KEYS)
  key: string;

  @ApiProperty({ example: '0.10', description: 'As a string: a rate, a whole number of days, or an amount' })
  @IsString()
  @MaxLength(128)
  value: string;

  @ApiProperty({ example: '2027-01-01' })
  @IsIsoDate()
  effectiveFrom: string;

  @ApiProperty({ example: '縣政府常務會議決定' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class PolicyValueView {
  @ApiProperty() value: string;
  @ApiPropertyOptional({ nullable: true, description: 'null: the default' }) effectiveFrom: string | null;
  @ApiPropertyOptional({ nullable: true }) changeId: number | null;
}

export class PolicyView {
  @ApiProperty() asOf: string;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(PolicyValueView) } })
  values: Record<string, PolicyValueView>;
}

export class PolicyChangeView {
  @ApiProperty() id: number;
  @ApiProperty() key: string;
  @ApiProperty() value: string;
  @ApiProperty() effectiveFrom: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: ['proposed', 'approved'] }) state: string;
  @ApiProperty() proposedBy: number;
  @ApiPropertyOptional({ nullable: true }) approvedBy: number | null;
  @ApiProperty({ type: [String], description: 'Allowed but worth a second look, e.g. retention above 3%' }) warnings: string[];
}
