import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsIsoDate } from '../common/validation';
import type { NoticeKind } from './domain/notice-document';
import { CHANNELS, PUBLISHED_KINDS } from './domain/notice-kinds';

export class DraftNoticeDto {
  @ApiProperty({ enum: PUBLISHED_KINDS })
  @IsIn(PUBLISHED_KINDS)
  kind: NoticeKind;

  @ApiPropertyOptional({
    description: 'Default: the county or unit name and the kind (e.g. 英山縣年度項目計劃公示)',
    example: '英山縣2026年度統籌整合財政涉農資金項目計劃公示',
  })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  title?: string;

  @ApiProperty({ example: '英財公〔2026〕1號', description: '文號' })
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  documentNumber: string;

  @ApiPropertyOptional({ description: 'Opening paragraph; default: the standard wording for the kind' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  body?: string;

  @ApiProperty({ enum: CHANNELS, isArray: true, description: 'Where the notice is posted' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true })
  channels: string[];

  @ApiProperty({ example: '2026-11-20', description: 'The day the information was formed or changed (not in the future)' })
  @IsIsoDate()
  formedOn: string;

  @ApiPropertyOptional({ type: [Number], description: 'The projects (library, plan, implementation, completion notices)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(2147483647, { each: true })
  projectIds?: number[];

  @ApiPropertyOptional({ type: [Number], description: 'The fund allocations (allocation result notices)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(2147483647, { each: true })
  allocationIds?: number[];

  @ApiPropertyOptional({ description: 'The id of the published notice this one corrects' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2147483647)
  supersedesId?: number;
}

export class ApproveNoticeDto {
  @ApiPropertyOptional({ example: '2026-12-02', description: 'First day of the period: today (the default) or later' })
  @IsOptional()
  @IsIsoDate()
  startsOn?: string;
}

export class RecordObjectionDto {
  @ApiProperty({ enum: ['phone', 'letter', 'visit'], description: 'How the objection came in' })
  @IsIn(['phone', 'letter', 'visit'])
  channel: 'phone' | 'letter' | 'visit';

  @ApiProperty({ example: '反映該項目實施地點與實際不符' })
  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  content: string;

  @ApiPropertyOptional({ example: '張三' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  name?: string;

  @ApiPropertyOptional({ example: '13800000000' })
  @IsOptional()
  @Matches(/^\+?[0-9][0-9-]{4,18}$/, { message: 'phone must be digits, optionally with + and hyphens' })
  phone?: string;

  @ApiPropertyOptional({ example: '2026-12-03', description: 'When the call or letter came (default today; not in the future)' })
  @IsOptional()
  @IsIsoDate()
  receivedOn?: string;
}

export class PublicObjectionDto {
  @ApiProperty({ example: '反映該項目實施地點與實際不符' })
  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  content: string;

  @ApiPropertyOptional({ description: 'Optional; never shown publicly' })
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value)) // a form's empty field
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  name?: string;

  @ApiPropertyOptional({ description: 'Optional; never shown publicly' })
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value)) // a form's empty field
  @IsOptional()
  @Matches(/^\+?[0-9][0-9-]{4,18}$/, { message: 'phone must be digits, optionally with + and hyphens' })
  phone?: string;
}

export class AnswerObjectionDto {
  @ApiProperty({ enum: ['upheld', 'dismissed'] })
  @IsIn(['upheld', 'dismissed'])
  outcome: 'upheld' | 'dismissed';

  @ApiProperty({ example: '經核實，項目實施地點與計劃一致，異議不成立。' })
  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  finding: string;
}

export class NoticeQueryDto {
  @ApiPropertyOptional({ enum: ['draft', 'published'] })
  @IsOptional()
  @IsIn(['draft', 'published'])
  state?: string;

  @ApiPropertyOptional({ enum: PUBLISHED_KINDS })
  @IsOptional()
  @IsIn(PUBLISHED_KINDS)
  kind?: NoticeKind;
}

export class ObjectionView {
  @ApiProperty() id: number;
  @ApiProperty() noticeId: number;
  @ApiProperty({ enum: ['phone', 'letter', 'visit', 'public'] }) channel: string;
  @ApiPropertyOptional({ nullable: true }) name: string | null;
  @ApiPropertyOptional({ nullable: true }) phone: string | null;
  @ApiProperty() content: string;
  @ApiProperty() receivedOn: string;
  @ApiProperty({ description: 'Received after the last day: recorded and answered, it does not hold the gate' }) late: boolean;
  @ApiProperty({ enum: ['received', 'investigating', 'answered'] }) state: string;
  @ApiPropertyOptional({ enum: ['upheld', 'dismissed'], nullable: true }) outcome: string | null;
  @ApiPropertyOptional({ nullable: true }) finding: string | null;
  @ApiPropertyOptional({ nullable: true }) answeredAt: string | null;
}

export class NoticeView {
  @ApiProperty() id: number;
  @ApiProperty({ example: '421124-2026-0001' }) code: string;
  @ApiProperty({ enum: PUBLISHED_KINDS }) kind: string;
  @ApiProperty({ enum: ['draft', 'published'] }) state: string;
  @ApiProperty({ enum: ['draft', 'running', 'passed', 'objection_open', 'objection_upheld', 'superseded'], description: 'Where the notice stands today' })
  standing: string;
  @ApiProperty() title: string;
  @ApiProperty() documentNumber: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: [String] }) channels: string[];
  @ApiProperty() formedOn: string;
  @ApiProperty() publisherUnitId: number;
  @ApiProperty() publisher: string;
  @ApiProperty({ type: [Number] }) projectIds: number[];
  @ApiProperty({ type: [Number] }) allocationIds: number[];
  @ApiPropertyOptional({ nullable: true }) supersedesId: number | null;
  @ApiPropertyOptional({ nullable: true }) supersededById: number | null;
  @ApiProperty() draftedBy: string;
  @ApiPropertyOptional({ nullable: true }) approvedBy: string | null;
  @ApiPropertyOptional({ nullable: true }) startsOn: string | null;
  @ApiPropertyOptional({ nullable: true }) endsOn: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'SHA-256 of the frozen content (RFC 8785 JSON)' }) contentHash: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'SHA-256 of the PDF' }) pdfSha256: string | null;
  @ApiProperty({ description: 'The public page' }) publicUrl: string;
  @ApiPropertyOptional({ description: 'The frozen figures and texts (published notices)', type: 'object', additionalProperties: true, nullable: true })
  document: unknown;
  @ApiProperty({ type: [ObjectionView] }) objections: ObjectionView[];
}

export class PublicityFindingView {
  @ApiProperty({ enum: ['not_published_in_time', 'paid_before_notice'] }) rule: 'not_published_in_time' | 'paid_before_notice';
  @ApiProperty({ enum: ['project', 'allocation'] }) subject: 'project' | 'allocation';
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true, description: 'When the information was formed (township review, receipt)' }) formedOn: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'The last working day it should have been published by' }) dueOn: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'What was paid on the project' }) paid: string | null;
}

export class AddEvidenceDto {
  @ApiProperty({ enum: CHANNELS, description: 'Where the notice was posted: one of its channels' })
  @IsIn(CHANNELS)
  channel: string;
}

export class EvidenceView {
  @ApiProperty() id: number;
  @ApiProperty() noticeId: number;
  @ApiProperty({ enum: CHANNELS }) channel: string;
  @ApiProperty() filename: string;
  @ApiProperty({ enum: ['application/pdf', 'image/jpeg', 'image/png'] }) contentType: string;
  @ApiProperty() size: number;
  @ApiProperty({ description: 'SHA-256 of the file, also in the notice.evidence.added event' }) sha256: string;
  @ApiProperty() uploadedBy: string;
  @ApiProperty() createdAt: string;
}
