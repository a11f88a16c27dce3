import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IdPageQueryDto } from '../common/pagination';
import { IsAmount, IsIsoDate } from '../common/validation';
import { PROJECT_CATEGORIES } from '../funds/domain/funds';
import { PROJECT_STATES, ProjectState } from './domain/lifecycle';

export class ProposeProjectDto {
  @ApiProperty({ example: '茶葉加工廠擴建' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: PROJECT_CATEGORIES })
  @IsIn(PROJECT_CATEGORIES)
  category: string;

  @ApiProperty({ example: '溫泉鎮一村三組' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  location: string;

  @ApiProperty({ example: '2026-04-01' })
  @IsIsoDate()
  startDate: string;

  @ApiProperty({ example: '2026-10-31' })
  @IsIsoDate()
  endDate: string;

  @ApiProperty({ example: '溫泉鎮一村村委會' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  responsibleUnit: string;

  @ApiProperty({ example: '王建國' })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  responsiblePerson: string;

  @ApiProperty({ example: '新建廠房300平方米，購置設備2套' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  tasks: string;

  @ApiProperty({ example: '260000.00' })
  @IsAmount()
  fundScale: string;

  @ApiProperty({ example: 120 })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  beneficiaryHouseholds: number;

  @ApiProperty({ example: 45, description: 'Of which registered poor households' })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  poorHouseholds: number;

  @ApiProperty({ example: ['帶動45戶貧困戶戶均增收2000元'], description: 'At least one: a project without targets cannot enter the library' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(500, { each: true })
  performanceTargets: string[];

  @ApiProperty({ example: '貧困戶以土地入股，優先務工' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  povertyMechanism: string;
}

export class TransitionDto {
  @ApiProperty({ example: '材料齊全，同意' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class ProjectQueryDto extends IdPageQueryDto {
  @ApiPropertyOptional({ enum: PROJECT_STATES })
  @IsOptional()
  @IsIn(PROJECT_STATES)
  status?: string;

  @ApiPropertyOptional({ enum: PROJECT_CATEGORIES })
  @IsOptional()
  @IsIn(PROJECT_CATEGORIES)
  category?: string;

  @ApiPropertyOptional({ description: 'Org unit id of a township or a village' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  unitId?: number;
}

export class ProposeBudgetLineDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  allocationId: number;

  @ApiProperty({ example: '300000.00' })
  @IsAmount()
  amount: string;
}

export class TransitionView {
  @ApiProperty() action: string;
  @ApiPropertyOptional({ nullable: true }) fromState: string | null;
  @ApiProperty() toState: string;
  @ApiProperty() actor: string;
  @ApiProperty() reason: string;
  @ApiProperty() at: string;
}

export class ProjectView {
  @ApiProperty() id: number;
  @ApiProperty() villageId: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: PROJECT_CATEGORIES }) category: string;
  @ApiProperty() location: string;
  @ApiProperty() startDate: string;
  @ApiProperty() endDate: string;
  @ApiProperty() responsibleUnit: string;
  @ApiProperty() responsiblePerson: string;
  @ApiProperty() tasks: string;
  @ApiProperty() fundScale: string;
  @ApiProperty() beneficiaryHouseholds: number;
  @ApiProperty() poorHouseholds: number;
  @ApiProperty({ type: [String] }) performanceTargets: string[];
  @ApiProperty() povertyMechanism: string;
  @ApiProperty({ enum: PROJECT_STATES }) state: ProjectState;
}

export class ProjectDetailView extends ProjectView {
  @ApiProperty({ type: [TransitionView] }) history: TransitionView[];
}

export class BudgetLineView {
  @ApiProperty() id: number;
  @ApiProperty() projectId: number;
  @ApiProperty() allocationId: number;
  @ApiProperty() amount: string;
  @ApiProperty({ enum: ['awaiting_signature', 'posted'] }) state: string;
  @ApiProperty() proposedBy: number;
  @ApiPropertyOptional({ nullable: true }) signedBy: number | null;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) transactionId: string | null;
}
