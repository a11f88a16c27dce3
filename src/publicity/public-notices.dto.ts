import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { NoticeDocument } from './domain/notice-document';

export class PublicObjectionView {
  @ApiProperty() receivedOn: string;
  @ApiProperty() late: boolean;
  @ApiProperty() content: string;
  @ApiProperty({ enum: ['received', 'investigating', 'answered'] }) state: string;
  @ApiPropertyOptional({ enum: ['upheld', 'dismissed'], nullable: true }) outcome: string | null;
  @ApiPropertyOptional({ nullable: true }) finding: string | null;
}

/** A published notice as anyone may read it: no names or phones of objectors, nothing of drafts. */
export class PublicNoticeView {
  @ApiProperty() code: string;
  @ApiProperty() kind: string;
  @ApiProperty({ enum: ['running', 'passed', 'objection_open', 'objection_upheld', 'superseded'] }) standing: string;
  @ApiProperty() startsOn: string;
  @ApiProperty() endsOn: string;
  @ApiProperty({ description: 'The frozen notice: title, publisher, columns, rows, totals, phones, channels', type: 'object', additionalProperties: true })
  document: NoticeDocument;
  @ApiProperty({ type: [PublicObjectionView] }) objections: PublicObjectionView[];
  @ApiProperty() url: string;
  @ApiProperty() pdfUrl: string;
  @ApiProperty() verifyUrl: string;
  @ApiProperty() objectionUrl: string;
  @ApiProperty({ description: 'SHA-256 of the PDF as published' }) pdfSha256: string;
  @ApiProperty({ description: 'SHA-256 of the frozen content (RFC 8785 JSON); its first 16 digits are printed by the QR code' }) contentHash: string;
  @ApiPropertyOptional({ nullable: true, description: 'URL of the notice this one corrects' }) supersedes: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Code of the notice this one corrects' }) supersedesCode: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'URL of the notice that corrects this one' }) supersededBy: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Code of the notice that corrects this one' }) supersededByCode: string | null;
}

export class VerifyView {
  @ApiProperty() code: string;
  @ApiProperty({ description: 'Whether the uploaded file is byte for byte the published PDF' }) matches: boolean;
  @ApiProperty() sha256: string;
  @ApiProperty() publishedSha256: string;
}
