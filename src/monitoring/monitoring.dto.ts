import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IdPageQueryDto, PageQueryDto } from '../common/pagination';
import { ALERT_STATES } from './domain/alert-lifecycle';
import { GUARDS, SEVERITIES } from './domain/detector';

export class DetectorView {
  @ApiProperty({ example: 'M04' }) id: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
  @ApiProperty({ enum: Object.keys(GUARDS) }) guards: string;
  @ApiProperty({ example: '拖欠' }) guardsZh: string;
  @ApiProperty() source: string;
  @ApiProperty({ enum: SEVERITIES, isArray: true }) severities: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Its thresholds: the policy values in force today' })
  policies: Record<string, string>;
  @ApiProperty({ type: [String], description: 'Workflow steps right after which it runs' }) after: string[];
}

export class AlertQueryDto extends IdPageQueryDto {
  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: string;

  @ApiPropertyOptional({ example: 'M04' })
  @IsOptional()
  @Matches(/^M\d{2}$/, { message: 'detector must be an id such as M04' })
  detector?: string;

  @ApiPropertyOptional({ description: 'Alerts of this township and its villages' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  townshipId?: number;

  @ApiPropertyOptional({ enum: ALERT_STATES })
  @IsOptional()
  @IsIn(ALERT_STATES)
  state?: string;

  @ApiPropertyOptional({ description: 'First seen on or after (YYYY-MM-DD)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  from?: string;

  @ApiPropertyOptional({ description: 'First seen on or before (YYYY-MM-DD)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  to?: string;
}

export class AlertView {
  @ApiProperty() id: number;
  @ApiProperty() detectorId: string;
  @ApiProperty() detectorName: string;
  @ApiProperty() subjectType: string;
  @ApiProperty() subjectId: string;
  @ApiProperty({ description: 'The org unit that answers for it' }) unitId: number;
  @ApiProperty() unitName: string;
  @ApiProperty({ enum: SEVERITIES }) severity: string;
  @ApiProperty({ enum: ALERT_STATES }) state: string;
  @ApiProperty() summary: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) evidence: Record<string, unknown>;
  @ApiProperty() firstSeenOn: string;
  @ApiProperty() lastSeenOn: string;
  @ApiProperty({ nullable: true, type: String }) explanation: string | null;
  @ApiProperty({ nullable: true, type: String }) closeReason: string | null;
  @ApiProperty() closedAutomatically: boolean;
}

export class AlertHistoryView {
  @ApiProperty({ example: 'opened' }) action: string;
  @ApiProperty() state: string;
  @ApiProperty() severity: string;
  @ApiProperty({ nullable: true, type: String, description: 'Who; null: a monitoring run' }) actor: string | null;
  @ApiProperty({ nullable: true, type: Number }) runId: number | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty() at: string;
}

export class AlertEvidenceView {
  @ApiProperty() id: number;
  @ApiProperty() alertId: number;
  @ApiProperty() filename: string;
  @ApiProperty() contentType: string;
  @ApiProperty() size: number;
  @ApiProperty() sha256: string;
  @ApiProperty() uploadedBy: string;
  @ApiProperty() createdAt: string;
}

export class AlertDetailView extends AlertView {
  @ApiProperty({ type: [AlertHistoryView] }) history: AlertHistoryView[];
  @ApiProperty({ type: [AlertEvidenceView] }) files: AlertEvidenceView[];
}

export class AlertNoteDto {
  @ApiProperty({ description: 'Why: the explanation, the reason to close or to escalate' })
  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  note: string;
}

export class AcknowledgeDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class RunView {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ['schedule', 'demand', 'step'] }) trigger: string;
  @ApiProperty({ nullable: true, type: String }) step: string | null;
  @ApiProperty({ nullable: true, type: String }) requestedBy: string | null;
  @ApiProperty() today: string;
  @ApiProperty({ enum: ['running', 'finished', 'failed', 'abandoned'] }) state: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'Per detector: id, ms, findings, opened, updated, raised, closed, error',
  })
  detectors: Record<string, unknown>[];
  @ApiProperty() opened: number;
  @ApiProperty() updated: number;
  @ApiProperty() raised: number;
  @ApiProperty() closed: number;
  @ApiProperty() startedAt: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt: string | null;
}

export class RunQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Return runs with a smaller id (the last id of the previous page)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  beforeId?: number;
}

export class RunRequestDto {
  @ApiPropertyOptional({ type: [String], description: 'Only these detectors (default: all)', example: ['M04'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(99)
  @Matches(/^M\d{2}$/, { each: true, message: 'each detector must be an id such as M04' })
  detectors?: string[];
}

export class SummaryRowView {
  @ApiProperty({ nullable: true, type: Number, description: 'null: county-level subjects' }) townshipId: number | null;
  @ApiProperty() townshipName: string;
  @ApiProperty() red: number;
  @ApiProperty() yellow: number;
  @ApiProperty() blue: number;
}

export class SummaryView {
  @ApiProperty({ description: 'Alerts not closed, by severity' }) red: number;
  @ApiProperty() yellow: number;
  @ApiProperty() blue: number;
  @ApiProperty({ type: [SummaryRowView] }) byTownship: SummaryRowView[];
}

export const RELATIONS = ['self', 'spouse', 'parent', 'child', 'sibling', 'other'] as const;

export class RelatedPartyDto {
  @ApiProperty({ example: '王小明' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ example: '42112419800101001X', description: 'Resident ID number (GB 11643), checked' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  idNumber?: string;

  @ApiPropertyOptional({ example: '6217000000000000001', description: 'Bank account number, digits' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  bankAccount?: string;

  @ApiProperty({ enum: RELATIONS, description: "self: the official's own entry (their accounts are staff accounts)" })
  @IsIn(RELATIONS)
  relation: string;

  @ApiProperty({ example: '王大明' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  officialName: string;

  @ApiProperty({ example: '溫泉鎮一村村委會主任' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  office: string;
}

export class RemoveRelatedPartyDto {
  @ApiProperty()
  @IsString()
  @MinLength(2)
  @MaxLength(500)
  reason: string;
}

export class RelatedPartyView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) idNumber: string | null;
  @ApiProperty({ nullable: true, type: String }) bankAccount: string | null;
  @ApiProperty({ enum: RELATIONS }) relation: string;
  @ApiProperty() officialName: string;
  @ApiProperty() office: string;
  @ApiProperty({ nullable: true, type: String }) removedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) removalReason: string | null;
}

export class InspectionPlanDto {
  @ApiProperty({ example: '2026年第四季度扶貧項目聯合檢查' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  title: string;

  @ApiProperty({ type: [String], example: ['縣財政局', '縣鄉村振興局', '縣審計局'] })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  departments: string[];

  @ApiProperty({ example: '2026-12-10' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  plannedOn: string;

  @ApiPropertyOptional({ type: [Number], description: 'Projects picked by hand' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(2_147_483_647, { each: true })
  projectIds?: number[];

  @ApiPropertyOptional({ description: 'How many more projects to draw at random from the projects under way', default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(500)
  randomCount?: number;
}

export class InspectionFindingDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  projectId: number;

  @ApiProperty({ example: '現場路面厚度不足設計要求' })
  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  finding: string;

  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES)
  severity: string;

  @ApiPropertyOptional({ description: 'The alert this finding confirms; absent: the finding opens an alert of its own (M00)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  alertId?: number;
}

export class InspectionFindingView {
  @ApiProperty() id: number;
  @ApiProperty() projectId: number;
  @ApiProperty() finding: string;
  @ApiProperty({ enum: SEVERITIES }) severity: string;
  @ApiProperty() alertId: number;
  @ApiProperty() recordedBy: string;
  @ApiProperty() recordedAt: string;
}

export class InspectionProjectView {
  @ApiProperty() projectId: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['hand', 'random'] }) picked: string;
}

export class InspectionPlanView {
  @ApiProperty() id: number;
  @ApiProperty() title: string;
  @ApiProperty({ type: [String] }) departments: string[];
  @ApiProperty() plannedOn: string;
  @ApiProperty() randomCount: number;
  @ApiProperty({ nullable: true, type: String, description: 'The random draw: each pool project ranked by SHA-256(seed ":" id), lowest first' })
  seed: string | null;
  @ApiProperty({ type: [Number], description: 'The projects the draw chose from' }) pool: number[];
  @ApiProperty({ type: [InspectionProjectView] }) projects: InspectionProjectView[];
  @ApiProperty({ type: [InspectionFindingView] }) findings: InspectionFindingView[];
  @ApiProperty({ description: 'Drawing again from the seed and pool gives the projects recorded' }) drawReproduced: boolean;
}
