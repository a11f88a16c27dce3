import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import contentDisposition from 'content-disposition';
import type { Response } from 'express';
import { Authenticated } from '../access/auth.decorators';
import { Actor, CurrentActor } from '../common/context';
import { IdPipe } from '../common/ids';
import { RemoveUploadedFile, UploadedScan } from '../common/uploads';
import { AlertEvidenceService } from './alert-evidence.service';
import { AlertsService } from './alerts.service';
import { MonitoringRuns } from './monitoring-runs.service';
import { ALERT_ANSWERERS, ALERT_DECIDERS, ALERT_READERS, RUNNERS, RUN_READERS } from './monitoring-roles';
import {
  AcknowledgeDto,
  AlertDetailView,
  AlertEvidenceView,
  AlertNoteDto,
  AlertQueryDto,
  AlertView,
  DetectorView,
  RunQueryDto,
  RunRequestDto,
  RunView,
  SummaryView,
} from './monitoring.dto';

@ApiTags('monitoring')
@Controller('api/v1/monitoring')
export class MonitoringController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly files: AlertEvidenceService,
    private readonly runs: MonitoringRuns,
  ) {}

  @Get('detectors')
  @ApiOperation({
    summary: 'The detector catalogue',
    description: 'Each detector with what it guards against, its source, severities, and its thresholds in force today.',
  })
  @Authenticated(...ALERT_READERS)
  @ApiOkResponse({ type: [DetectorView] })
  detectors(@CurrentActor() actor: Actor): Promise<DetectorView[]> {
    return this.runs.detectors(actor);
  }

  @Get('alerts')
  @ApiOperation({
    summary: 'List alerts',
    description: 'In the reader’s scope (a township sees its villages’ alerts); filter by severity, detector, township, state, first-seen date.',
  })
  @Authenticated(...ALERT_READERS)
  @ApiOkResponse({ type: [AlertView] })
  list(@CurrentActor() actor: Actor, @Query() q: AlertQueryDto): Promise<AlertView[]> {
    return this.alerts.list(actor, q);
  }

  @Get('alerts/:id')
  @ApiOperation({ summary: 'One alert with its evidence, files and history' })
  @Authenticated(...ALERT_READERS)
  @ApiOkResponse({ type: AlertDetailView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<AlertDetailView> {
    return this.alerts.get(actor, id);
  }

  @Post('alerts/:id/acknowledge')
  @ApiOperation({ summary: 'Acknowledge an open alert' })
  @HttpCode(200)
  @Authenticated(...ALERT_ANSWERERS)
  @ApiOkResponse({ type: AlertView })
  acknowledge(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: AcknowledgeDto): Promise<AlertView> {
    return this.alerts.act(actor, id, 'acknowledge', dto.note);
  }

  @Post('alerts/:id/explain')
  @ApiOperation({ summary: 'Explain an alert', description: 'The explanation in words; files go to POST …/files.' })
  @HttpCode(200)
  @Authenticated(...ALERT_ANSWERERS)
  @ApiOkResponse({ type: AlertView })
  explain(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: AlertNoteDto): Promise<AlertView> {
    return this.alerts.act(actor, id, 'explain', dto.note);
  }

  @Post('alerts/:id/close')
  @ApiOperation({ summary: 'Close an explained alert', description: 'By someone other than who explained it (409 SAME_HAND otherwise).' })
  @HttpCode(200)
  @Authenticated(...ALERT_DECIDERS)
  @ApiOkResponse({ type: AlertView })
  close(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: AlertNoteDto): Promise<AlertView> {
    return this.alerts.act(actor, id, 'close', dto.note);
  }

  @Post('alerts/:id/escalate')
  @ApiOperation({ summary: 'Escalate an alert to red', description: 'It goes back to open for a fresh look.' })
  @HttpCode(200)
  @Authenticated(...ALERT_DECIDERS)
  @ApiOkResponse({ type: AlertView })
  escalate(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: AlertNoteDto): Promise<AlertView> {
    return this.alerts.act(actor, id, 'escalate', dto.note);
  }

  @Post('alerts/:id/files')
  @ApiOperation({
    summary: 'Add a file behind an explanation',
    description: 'PDF, JPEG or PNG typed by content, while the alert is not closed; its SHA-256 goes into the event log.',
  })
  @Authenticated(...ALERT_ANSWERERS)
  @UseInterceptors(RemoveUploadedFile, FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'PDF, JPEG or PNG' } } } })
  @ApiCreatedResponse({ type: AlertEvidenceView })
  addFile(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @UploadedFile() file: UploadedScan | undefined): Promise<AlertEvidenceView> {
    return this.files.attach(actor, id, file);
  }

  @Get('alerts/:id/files/:fileId')
  @ApiOperation({
    summary: 'Download a file of an alert',
    description: 'Checked against the SHA-256 its upload event recorded: 409 ATTACHMENT_TAMPERED when they differ.',
  })
  @Authenticated(...ALERT_READERS)
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png')
  @ApiOkResponse({ description: 'The file; `Repr-Digest` carries its SHA-256' })
  async downloadFile(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('fileId', IdPipe) fileId: number,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { meta, content } = await this.files.download(actor, id, fileId);
    res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(meta.sha256, 'hex').toString('base64')}:`);
    return new StreamableFile(content, { type: meta.contentType, length: content.length, disposition: contentDisposition(meta.filename) });
  }

  @Get('summary')
  @ApiOperation({ summary: 'Alerts not closed, by severity and township', description: 'For a dashboard; in the reader’s scope.' })
  @Authenticated(...ALERT_READERS)
  @ApiOkResponse({ type: SummaryView })
  summary(@CurrentActor() actor: Actor): Promise<SummaryView> {
    return this.alerts.summary(actor);
  }

  @Post('runs')
  @ApiOperation({ summary: 'Run the detectors now', description: 'All of them, or those named; answers the run with each detector’s time and counts.' })
  @Authenticated(...RUNNERS)
  @ApiCreatedResponse({ type: RunView })
  run(@CurrentActor() actor: Actor, @Body() dto: RunRequestDto): Promise<RunView> {
    return this.runs.runNow(actor, dto.detectors);
  }

  @Get('runs')
  @ApiOperation({ summary: 'List runs, newest first', description: 'Pages go back in time: the next page starts before the last id seen (`beforeId`).' })
  @Authenticated(...RUN_READERS)
  @ApiOkResponse({ type: [RunView] })
  runsList(@CurrentActor() actor: Actor, @Query() q: RunQueryDto): Promise<RunView[]> {
    return this.runs.list(actor, q);
  }

  @Get('runs/:id')
  @ApiOperation({ summary: 'One run' })
  @Authenticated(...RUN_READERS)
  @ApiOkResponse({ type: RunView })
  runGet(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<RunView> {
    return this.runs.get(actor, id);
  }
}
