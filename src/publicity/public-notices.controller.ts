import { Body, Controller, Get, Headers, HttpCode, Ip, Param, Post, Query, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../access/auth.decorators';
import { LoginThrottle } from '../access/login-throttle';
import { RemoveUploadedFile, UploadedScan } from '../common/uploads';
import { DomainError, ErrorCode } from '../common/errors';
import { ObjectionsService } from './objections.service';
import { sendPdf } from './notices.controller';
import { PublicObjectionDto } from './notices.dto';
import { listPage, noticePage, verifyPage } from './public-page';
import { PublicNoticesService } from './public-notices.service';
import { PublicNoticeView, VerifyView } from './public-notices.dto';

/** A notice code as the service makes them: county code, year, number. Anything else is answered 404 unread. */
const CODE = /^[0-9A-Za-z_-]{1,32}-\d{4}-\d{4,10}$/;

function wantsJson(accept: string | undefined): boolean {
  return /application\/json/.test(accept ?? '') && !/text\/html/.test(accept ?? '');
}

function notFound(code: string): DomainError {
  return new DomainError(ErrorCode.NotFound, `No published notice ${code}`);
}

/**
 * The public side of publicity, no login (docs/publicity.md): a county's current notices and each notice's page — HTML
 * for a phone, JSON when asked with `Accept: application/json` — its PDF, a check of a PDF against the published one,
 * and objections from anyone (throttled per address).
 */
@ApiTags('public')
@Controller('public/notices')
export class PublicNoticesController {
  /** Three objections an hour to one notice from one address, ten to all notices. */
  private readonly throttle = new LoginThrottle(3, 10, 60 * 60 * 1000, 'Too many objections from this address; try again in an hour');

  constructor(
    private readonly notices: PublicNoticesService,
    private readonly objections: ObjectionsService,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'The county’s current notices (HTML, or JSON with Accept: application/json)' })
  @ApiProduces('text/html', 'application/json')
  @ApiOkResponse({ type: [PublicNoticeView] })
  async list(@Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: Response): Promise<PublicNoticeView[] | string> {
    const notices = await this.notices.list();
    if (wantsJson(accept)) return notices;
    res.type('html');
    return listPage(this.notices.countyName, notices);
  }

  @Get(':code')
  @Public()
  @ApiOperation({ summary: 'A published notice: figures, period, standing, objections and answers (HTML, or JSON when asked)' })
  @ApiProduces('text/html', 'application/json')
  @ApiOkResponse({ type: PublicNoticeView })
  async get(
    @Param('code') code: string,
    @Query('objection') objection: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PublicNoticeView | string> {
    if (!CODE.test(code)) throw notFound(code);
    const notice = await this.notices.get(code);
    if (wantsJson(accept)) return notice;
    res.type('html');
    return noticePage(notice, objection === 'received');
  }

  @Get(':code/pdf')
  @Public()
  @ApiOperation({ summary: 'The published notice as PDF', description: '`Repr-Digest` carries its SHA-256, the one the page and the publish event show.' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The PDF' })
  async pdf(@Param('code') code: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    if (!CODE.test(code)) throw notFound(code);
    return sendPdf(res, await this.notices.pdf(code));
  }

  @Post(':code/verify')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Check whether a PDF is the published notice', description: 'Multipart field `file`; compared by SHA-256.' })
  @UseInterceptors(RemoveUploadedFile, FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: VerifyView })
  async verify(
    @Param('code') code: string,
    @UploadedFile() file: UploadedScan | undefined,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VerifyView | string> {
    if (!CODE.test(code)) throw notFound(code);
    const { notice, ...answer } = await this.notices.verify(code, file);
    if (wantsJson(accept)) return answer;
    res.type('html');
    return verifyPage(notice, answer.matches, answer.sha256);
  }

  @Post(':code/objections')
  @Public()
  @ApiOperation({
    summary: 'Object to a published notice (異議)',
    description: 'Anyone, no login; name and phone optional and never shown. JSON answers 201; a form post from the page is sent back to it (303).',
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiCreatedResponse({ description: 'Recorded; the answer will show on the notice’s page' })
  async object(
    @Param('code') code: string,
    @Body() dto: PublicObjectionDto,
    @Ip() address: string,
    @Headers('content-type') contentType: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ receivedOn: string; late: boolean; state: string } | undefined> {
    if (!CODE.test(code)) throw notFound(code);
    this.throttle.attempt(code, address);
    const recorded = await this.objections.submitPublic(this.notices.publicActor, code, dto);
    if (/application\/x-www-form-urlencoded/.test(contentType ?? '')) {
      res.redirect(303, `/public/notices/${encodeURIComponent(code)}?objection=received`);
      return undefined;
    }
    res.status(201);
    return { receivedOn: recorded.receivedOn, late: recorded.late, state: recorded.state };
  }
}
