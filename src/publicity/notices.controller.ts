import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import contentDisposition from 'content-disposition';
import type { Response } from 'express';
import { Authenticated } from '../access/auth.decorators';
import { ROLES } from '../access/domain/roles';
import { Actor, CurrentActor } from '../common/context';
import { IdPipe } from '../common/ids';
import { RemoveUploadedFile, UploadedScan } from '../common/uploads';
import { NoticeEvidenceService } from './notice-evidence.service';
import { CHANNELS, PUBLISHING_ROLES } from './domain/notice-kinds';
import { ObjectionsService } from './objections.service';
import { PublicityWatch } from './publicity-watch';
import { NoticesService } from './notices.service';
import {
  AddEvidenceDto,
  AnswerObjectionDto,
  EvidenceView,
  ApproveNoticeDto,
  DraftNoticeDto,
  NoticeQueryDto,
  NoticeView,
  ObjectionView,
  PublicityFindingView,
  RecordObjectionDto,
} from './notices.dto';

/** The roles that publish at some level (county finance and line departments, township finance, villages). */
const PUBLISHERS = Object.values(PUBLISHING_ROLES).flat();

@ApiTags('publicity')
@Controller('api/v1/notices')
export class NoticesController {
  constructor(
    private readonly notices: NoticesService,
    private readonly objections: ObjectionsService,
    private readonly watch: PublicityWatch,
    private readonly evidence: NoticeEvidenceService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Draft a publicity notice (公示)',
    description:
      'By a person of the publishing unit (county finance or line department, township finance, village), for projects or allocations of their unit.',
  })
  @Authenticated(...PUBLISHERS)
  @ApiCreatedResponse({ type: NoticeView })
  draft(@CurrentActor() actor: Actor, @Body() dto: DraftNoticeDto): Promise<NoticeView> {
    return this.notices.draft(actor, dto);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Correct a draft notice', description: 'Drafts only; a published notice is corrected by a new notice that supersedes it.' })
  @Authenticated(...PUBLISHERS)
  @ApiOkResponse({ type: NoticeView })
  update(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: DraftNoticeDto): Promise<NoticeView> {
    return this.notices.update(actor, id, dto);
  }

  @Post(':id/approve')
  @ApiOperation({
    summary: 'Approve and publish a notice',
    description:
      'By another person of the publishing unit: freezes the figures, renders the PDF and starts the period (publicity_min_days of the policy in force today).',
  })
  @HttpCode(200)
  @Authenticated(...PUBLISHERS)
  @ApiOkResponse({ type: NoticeView })
  approve(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: ApproveNoticeDto): Promise<NoticeView> {
    return this.notices.approve(actor, id, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List notices', description: 'Published notices of the county, and the drafts of units in scope.' })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: [NoticeView] })
  list(@CurrentActor() actor: Actor, @Query() q: NoticeQueryDto): Promise<NoticeView[]> {
    return this.notices.list(actor, q);
  }

  @Get('findings')
  @ApiOperation({
    summary: 'Publicity findings for monitoring',
    description:
      'Information formed but not published within publicity_due_working_days working days; money paid on a project whose plan notice has not passed.',
  })
  @Authenticated('county_finance', 'county_leader', 'inspector', 'auditor')
  @ApiOkResponse({ type: [PublicityFindingView] })
  findings(@CurrentActor() actor: Actor): Promise<PublicityFindingView[]> {
    return this.watch.findings(actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a notice with its objections' })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: NoticeView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<NoticeView> {
    return this.notices.get(actor, id);
  }

  @Get(':id/pdf')
  @ApiOperation({ summary: 'Download a published notice as PDF', description: 'The bytes rendered at approval; `Repr-Digest` carries their SHA-256.' })
  @Authenticated(...ROLES)
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The PDF' })
  async pdf(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    return sendPdf(res, await this.notices.pdf(actor, id));
  }

  @Post(':id/objections')
  @ApiOperation({ summary: 'Record an objection received by phone, letter or visit', description: 'By the publishing unit, on a published notice.' })
  @Authenticated(...PUBLISHERS)
  @ApiCreatedResponse({ type: ObjectionView })
  record(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: RecordObjectionDto): Promise<ObjectionView> {
    return this.objections.record(actor, id, dto);
  }

  @Post(':id/objections/:objectionId/investigate')
  @ApiOperation({ summary: 'Start investigating an objection' })
  @HttpCode(200)
  @Authenticated(...PUBLISHERS)
  @ApiOkResponse({ type: ObjectionView })
  investigate(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Param('objectionId', IdPipe) objectionId: number): Promise<ObjectionView> {
    return this.objections.investigate(actor, id, objectionId);
  }

  @Post(':id/objections/:objectionId/answer')
  @ApiOperation({ summary: 'Answer an objection (upheld or dismissed, with the finding)', description: 'The answer shows on the notice’s public page.' })
  @HttpCode(200)
  @Authenticated(...PUBLISHERS)
  @ApiOkResponse({ type: ObjectionView })
  answer(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('objectionId', IdPipe) objectionId: number,
    @Body() dto: AnswerObjectionDto,
  ): Promise<ObjectionView> {
    return this.objections.answer(actor, id, objectionId, dto);
  }

  @Post(':id/evidence')
  @ApiOperation({
    summary: 'Add evidence of posting (a photo of the board, a scan)',
    description: 'By the publishing unit, on a published notice; PDF, JPEG or PNG typed by content; its SHA-256 goes into the event log.',
  })
  @Authenticated(...PUBLISHERS)
  @UseInterceptors(RemoveUploadedFile, FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['channel', 'file'],
      properties: { channel: { type: 'string', enum: [...CHANNELS] }, file: { type: 'string', format: 'binary', description: 'PDF, JPEG or PNG' } },
    },
  })
  @ApiCreatedResponse({ type: EvidenceView })
  addEvidence(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: AddEvidenceDto,
    @UploadedFile() file: UploadedScan | undefined,
  ): Promise<EvidenceView> {
    return this.evidence.attach(actor, id, dto.channel, file);
  }

  @Get(':id/evidence')
  @ApiOperation({ summary: 'List the evidence of a notice’s posting' })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: [EvidenceView] })
  listEvidence(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<EvidenceView[]> {
    return this.evidence.list(actor, id);
  }

  @Get(':id/evidence/:evidenceId')
  @ApiOperation({
    summary: 'Download evidence of posting',
    description: 'Checked against the SHA-256 its upload event recorded: 409 ATTACHMENT_TAMPERED when they differ.',
  })
  @Authenticated(...ROLES)
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png')
  @ApiOkResponse({ description: 'The file; `Repr-Digest` carries its SHA-256' })
  async downloadEvidence(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('evidenceId', IdPipe) evidenceId: number,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { meta, content } = await this.evidence.download(actor, id, evidenceId);
    res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(meta.sha256, 'hex').toString('base64')}:`);
    return new StreamableFile(content, { type: meta.contentType, length: content.length, disposition: contentDisposition(meta.filename) });
  }
}

/** Sends a notice's PDF with its SHA-256 in `Repr-Digest` (RFC 9530), named by its code. */
export function sendPdf(res: Response, file: { code: string; pdf: Buffer; sha256: string }): StreamableFile {
  res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`);
  return new StreamableFile(file.pdf, {
    type: 'application/pdf',
    length: file.pdf.length,
    disposition: contentDisposition(`${file.code}.pdf`, { type: 'inline' }),
  });
}
