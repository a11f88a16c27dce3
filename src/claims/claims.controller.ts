import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import contentDisposition from 'content-disposition';
import type { Response } from 'express';
import { Authenticated } from '../access/auth.decorators';
import { ROLES } from '../access/domain/roles';
import { Actor, CurrentActor } from '../common/context';
import { Idempotent, IdempotencyKey, IdempotentAnswer, RequestIdempotencyKey } from '../common/idempotency';
import { IdPipe } from '../common/ids';
import {
  ApproveClaimDto,
  AttachmentView,
  ClaimDetailView,
  ClaimPacketDto,
  ClaimQueryDto,
  ClaimView,
  DraftClaimDto,
  LineReviewDto,
  PayClaimDto,
  RejectClaimDto,
  TownshipReviewDto,
  UploadAttachmentDto,
} from './claims.dto';
import { RemoveUploadedFile, UploadedScan } from '../common/uploads';
import { ClaimAttachmentsService } from './claim-attachments.service';
import { ClaimsService } from './claims.service';
import { DOCUMENT_KINDS, rolesOfSteps } from './domain/claims';

/** Everyone in scope reads claims; the steps belong to the roles of design §6. */
const READERS = ROLES.filter((r) => r !== 'admin');

@ApiTags('claims')
@Controller('api/v1/claims')
export class ClaimsController {
  constructor(
    private readonly claims: ClaimsService,
    private readonly scans: ClaimAttachmentsService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Draft a claim (報帳)', description: 'By a village user, on a contract of one of their village’s projects.' })
  @Authenticated('village')
  @ApiCreatedResponse({ type: ClaimView, description: 'A draft on a contract of one of your village’s projects' })
  draft(@CurrentActor() actor: Actor, @Body() dto: DraftClaimDto): Promise<ClaimView> {
    return this.claims.draft(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List claims', description: 'Township and village users see the claims of their own subtree only; filter by `state`.' })
  @Authenticated(...READERS)
  @ApiOkResponse({ type: [ClaimView] })
  list(@CurrentActor() actor: Actor, @Query() q: ClaimQueryDto): Promise<ClaimView[]> {
    return this.claims.list(actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a claim', description: 'With its history, attachments (with their SHA-256) and every version of its packet.' })
  @Authenticated(...READERS)
  @ApiOkResponse({ type: ClaimDetailView, description: 'With its history, attachments and every version of its packet' })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ClaimDetailView> {
    return this.claims.get(actor, id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Correct a claim as a new version', description: 'A draft or a rejected claim; the new version goes through every step again.' })
  @Authenticated(...rolesOfSteps('revise'))
  @ApiOkResponse({ type: ClaimView, description: 'Corrects a draft or a rejected claim as a new version' })
  revise(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: ClaimPacketDto): Promise<ClaimView> {
    return this.claims.revise(actor, id, dto);
  }

  @Post(':id/withdraw')
  @ApiOperation({ summary: 'Withdraw a claim', description: 'A draft or rejected claim; it is kept, and its invoices may be claimed again.' })
  @HttpCode(200)
  @Authenticated(...rolesOfSteps('withdraw'))
  @ApiOkResponse({ type: ClaimView, description: 'Gives up a draft or rejected claim; it is kept, and its invoices may be claimed again' })
  withdraw(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: RejectClaimDto): Promise<ClaimView> {
    return this.claims.withdraw(actor, id, dto);
  }

  @Post(':id/submit')
  @ApiOperation({ summary: 'Submit a claim for township review', description: 'Needs every required document attached.' })
  @HttpCode(200)
  @Authenticated(...rolesOfSteps('submit'))
  @ApiOkResponse({ type: ClaimView })
  submit(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ClaimView> {
    return this.claims.submit(actor, id);
  }

  @Post(':id/township-review')
  @ApiOperation({
    summary: 'Township review of a submitted claim',
    description: 'Signs off and holds the amount in the budget book. Maker-checker: each step of a version is taken by someone who took no other step.',
  })
  @HttpCode(200)
  @Authenticated(...rolesOfSteps('township_review'))
  @ApiOkResponse({ type: ClaimView, description: 'Signs off and holds the amount in the budget book' })
  townshipReview(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: TownshipReviewDto): Promise<ClaimView> {
    return this.claims.townshipReview(actor, id, dto);
  }

  @Post(':id/line-review')
  @ApiOperation({
    summary: 'Line department review of a claim (督查)',
    description: 'Records pass or fail; a fail blocks approval. Taken by someone who took no other step of the version.',
  })
  @HttpCode(200)
  @Authenticated(...rolesOfSteps('line_review'))
  @ApiOkResponse({ type: ClaimView })
  lineReview(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: LineReviewDto): Promise<ClaimView> {
    return this.claims.lineReview(actor, id, dto);
  }

  @Post(':id/approve')
  @ApiOperation({
    summary: 'Approve a claim',
    description: 'County finance approves; above the leader threshold a county leader signs after it. Each by someone who took no other step of the version.',
  })
  @HttpCode(200)
  @Authenticated(...rolesOfSteps('approve', 'leader_sign'))
  @ApiOkResponse({ type: ClaimView, description: 'County finance approves; above the leader threshold a county leader signs after it' })
  approve(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: ApproveClaimDto): Promise<ClaimView> {
    return this.claims.approve(actor, id, dto);
  }

  @Post(':id/reject')
  @ApiOperation({
    summary: 'Reject a claim',
    description: 'By whoever the next step belongs to; a held amount is released and the village may correct the claim.',
  })
  @HttpCode(200)
  @Authenticated(...rolesOfSteps('reject'))
  @ApiOkResponse({ type: ClaimView, description: 'By whoever the next step belongs to; a held amount is released' })
  reject(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: RejectClaimDto): Promise<ClaimView> {
    return this.claims.reject(actor, id, dto);
  }

  @Post(':id/pay')
  @ApiOperation({
    summary: 'Pay an approved claim',
    description:
      'Posted through the contract’s payment from the claim’s hold, retention withheld, by a county_finance user who took no ' +
      'other step (so not the approver).',
  })
  @HttpCode(200)
  @Authenticated(...rolesOfSteps('pay'))
  @Idempotent('pays nothing')
  @ApiOkResponse({ type: ClaimView, description: 'Posted through the payment service from the claim’s hold, retention withheld' })
  pay(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: PayClaimDto,
    @RequestIdempotencyKey() key: IdempotencyKey | undefined,
  ): Promise<IdempotentAnswer<ClaimView>> {
    return this.claims.pay(actor, id, dto, key);
  }

  @Post(':id/attachments')
  @ApiOperation({
    summary: 'Upload a scan to a claim',
    description: 'PDF, JPEG or PNG, typed by content (415 otherwise), at most ATTACHMENT_MAX_BYTES (413); its SHA-256 goes into the event log.',
  })
  @Authenticated('village')
  @UseInterceptors(RemoveUploadedFile, FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['kind', 'file'],
      properties: { kind: { type: 'string', enum: [...DOCUMENT_KINDS] }, file: { type: 'string', format: 'binary', description: 'PDF, JPEG or PNG' } },
    },
  })
  @ApiCreatedResponse({ type: AttachmentView, description: 'Typed by content; 415 when it is not what it claims, 413 over the limit' })
  attach(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: UploadAttachmentDto,
    @UploadedFile() file: UploadedScan | undefined,
  ): Promise<AttachmentView> {
    return this.scans.attach(actor, id, dto.kind, file);
  }

  @Get(':id/attachments')
  @ApiOperation({ summary: 'List a claim’s attachments' })
  @Authenticated(...READERS)
  @ApiOkResponse({ type: [AttachmentView] })
  attachments(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<AttachmentView[]> {
    return this.scans.list(actor, id);
  }

  @Get(':id/attachments/:attachmentId')
  @ApiOperation({
    summary: 'Download a claim attachment',
    description: 'Checked against the SHA-256 its upload event recorded: 409 ATTACHMENT_TAMPERED when they differ.',
  })
  @Authenticated(...READERS)
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png')
  @ApiOkResponse({ description: 'The file; `Repr-Digest` carries its SHA-256, checked against the event log before sending' })
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('attachmentId', IdPipe) attachmentId: number,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { meta, content } = await this.scans.download(actor, id, attachmentId);
    res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(meta.sha256, 'hex').toString('base64')}:`);
    return new StreamableFile(content, {
      type: meta.contentType,
      length: content.length,
      // RFC 6266 with an ASCII fallback name and the UTF-8 one (RFC 5987) for Chinese names.
      disposition: contentDisposition(meta.filename, { type: 'attachment' }),
    });
  }
}
