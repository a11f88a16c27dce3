import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SqlState, pgErrorOf } from '../database/pg-errors';
import { DomainError, ErrorCode, httpStatusOf } from './errors';

interface ErrorBody {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/**
 * Every error leaves the service in one shape `{code, message, details, requestId}`. Domain errors carry their code;
 * framework errors are translated; anything else is logged with the request id and answered 500 without
 * internals (no stack, no SQL). The request id is the one of the access line and the X-Request-Id header
 * (src/common/logging.ts), so a user's report finds its lines.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const [status, body] = this.translate(exception, req);
    if (typeof body.details.retryAfterSeconds === 'number') res.setHeader('Retry-After', String(body.details.retryAfterSeconds));
    res.status(status).json({ ...body, requestId: assignedRequestId(req) });
  }

  private translate(exception: unknown, req: Request): [number, ErrorBody] {
    if (exception instanceof DomainError) {
      return [httpStatusOf(exception.code), { code: exception.code, message: exception.message, details: exception.details }];
    }
    const bodyError = bodyParserErrorOf(exception);
    // Nest turns body-parser's SyntaxError into a bare BadRequestException carrying JSON.parse's message.
    const badJson = exception instanceof HttpException && exception.getStatus() === 400 && /JSON/.test(exception.message);
    if (bodyError === 'entity.parse.failed' || badJson) {
      return [400, { code: ErrorCode.MalformedJson, message: 'The request body is not valid JSON', details: {} }];
    }
    if (bodyError === 'entity.too.large') {
      return [413, { code: ErrorCode.PayloadTooLarge, message: 'The request body is too large', details: {} }];
    }
    if (bodyError === 'charset.unsupported' || bodyError === 'encoding.unsupported') {
      const what = bodyError === 'charset.unsupported' ? 'charset (use utf-8)' : 'Content-Encoding (use gzip, deflate, br or none)';
      return [415, { code: ErrorCode.UnsupportedMediaType, message: `The request body has an unsupported ${what}`, details: {} }];
    }
    if (bodyError !== undefined) {
      // Anything else body-parser met while reading: a gzip header on a body that is not gzip, a cut-off stream.
      return [400, { code: ErrorCode.UnreadableBody, message: 'The request body could not be read as declared by its headers', details: {} }];
    }
    // A refusal of the schema's own guards (SQLSTATE class FL) that no service check caught first: its message
    // is ours and safe to show.
    const guard = pgErrorOf(exception);
    // Sums past numeric(20,2): each amount fits, but a balance or total they make would not.
    if (guard?.code === SqlState.numericOutOfRange) {
      return [422, { code: ErrorCode.AmountOutOfRange, message: 'The amounts would make a balance or total beyond 18 integer digits', details: {} }];
    }
    if (guard?.code === SqlState.publicityGate) {
      return [422, { code: ErrorCode.PublicityRequired, message: guard.message, details: { rule: guard.code } }];
    }
    if (guard?.code.startsWith('FL')) {
      return [409, { code: ErrorCode.InvalidState, message: guard.message, details: { rule: guard.code } }];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) {
        return [404, { code: ErrorCode.NotFound, message: `No route ${req.method} ${req.path}`, details: {} }];
      }
      // An upload over the size limit (multer).
      if (status === 413) {
        return [413, { code: ErrorCode.PayloadTooLarge, message: 'The upload is larger than the limit', details: {} }];
      }
      if (status < 500) {
        return [status, { code: ErrorCode.ValidationFailed, message: exception.message, details: {} }];
      }
    }
    this.logger.error(`${req.method} ${req.url} failed [request ${assignedRequestId(req)}]`, (exception as Error)?.stack);
    return [500, { code: ErrorCode.Internal, message: 'Internal error', details: {} }];
  }
}

/** Set by the access log on every request of the service (src/app.ts). */
function assignedRequestId(req: Request): string | undefined {
  return typeof req.id === 'string' ? req.id : undefined;
}

/** body-parser's errors carry a `type`; Nest sometimes wraps them in a BadRequestException as the cause. */
function bodyParserErrorOf(exception: unknown): string | undefined {
  const candidates = [exception, (exception as { cause?: unknown })?.cause];
  for (const c of candidates) {
    const type = (c as { type?: unknown })?.type;
    if (typeof type === 'string' && /^(entity|charset|encoding|stream|request)\./.test(type)) return type;
    // A decompression error (gzip, deflate, brotli) carries no type of body-parser's: only the 4xx status and
    // `expose` flag of the client error body-parser made of it.
    const { status, expose } = (c ?? {}) as { status?: unknown; expose?: unknown };
    if (!(c instanceof HttpException) && typeof expose === 'boolean' && typeof status === 'number' && status >= 400 && status < 500)
      return 'request.unreadable';
  }
  return undefined;
}
