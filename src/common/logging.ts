import type { LoggerService, LogLevel } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { prettyFactory } from 'pino-pretty';
import type { RequestWithActor } from './context';

export type LogFormat = 'json' | 'pretty';

export interface LogSettings {
  /** LOG_LEVEL; false logs nothing (the tests' default). */
  level: LogLevel | false;
  /** LOG_FORMAT; unset: pretty on a terminal, else JSON. */
  format?: LogFormat;
  /** Where lines go; stdout unless a test captures them. */
  destination?: pino.DestinationStream;
}

const PINO_LEVEL: Record<LogLevel, pino.Level> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/** Keys whose value never reaches a log, should any code log a request, a body or a header object. */
const REDACTED = ['password', 'currentPassword', 'newPassword', 'accessToken', 'authorization', 'cookie'].flatMap((key) => [key, `*.${key}`]);

function defaultLogFormat(): LogFormat {
  // Colours and a layout for eyes on a terminal; anything else (a file, a pipe, a collector) gets JSON lines.
  return process.stdout.isTTY ? 'pretty' : 'json';
}

/** The one logger of a service process: Nest's messages, the access lines and the embedded database's output. */
export function createRootLogger({ level, format = defaultLogFormat(), destination }: LogSettings): pino.Logger {
  if (level === false) return pino({ level: 'silent' }, { write: () => undefined });
  const options: pino.LoggerOptions = {
    level: PINO_LEVEL[level],
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED, censor: '[redacted]' },
  };
  // Synchronous writes: a line logged just before process.exit (a refused start) is not lost.
  const out = destination ?? pino.destination({ dest: 1, sync: true });
  if (format === 'pretty') {
    // Formatted in the writing call rather than through a stream, so it stays synchronous like the JSON lines.
    const prettify = prettyFactory({
      colorize: destination === undefined && process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      // The message already says the context, and an access line's method, route, status and duration; a stack
      // follows its line as it reads in a terminal, not escaped onto it.
      ignore: 'pid,hostname,context,method,route,path,status,ms,stack',
      messageFormat: '{if context}[{context}] {end}{msg}',
      singleLine: true,
    });
    const write = (line: string) => {
      const { stack } = JSON.parse(line) as { stack?: unknown };
      out.write(prettify(line) + (typeof stack === 'string' ? `${stack}\n` : ''));
    };
    return pino(options, { write });
  }
  return pino({ ...options, formatters: { level: (label) => ({ level: label }) } }, out);
}

/** A client's X-Request-Id is kept when it is a short token, so it cannot forge or flood log lines. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

/** The request's logger (its lines carry the request id), for code that logs while a request runs. */
const requestLogs = new AsyncLocalStorage<pino.Logger>();

/**
 * A request id on every request (answered in X-Request-Id) and one access line when it ends: method, route pattern,
 * status, milliseconds, the user's id. Never a header, a query or a body, so no password or token can reach the log.
 */
export function accessLog(root: pino.Logger) {
  return pinoHttp<RequestWithActor, Response>({
    logger: root,
    genReqId: (req, res) => {
      const id = requestIdOf(req.headers['x-request-id']);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (req, res, val: { responseTime: number }) => accessFields(req, res, val.responseTime),
    customErrorObject: (req, res, _err, val: { responseTime: number }) => accessFields(req, res, val.responseTime),
    customSuccessMessage: (req, res, ms) => accessMessage(accessFields(req, res, ms)),
    // pino-http passes the duration as a fourth argument its types do not declare.
    customErrorMessage: (req, res, _err, ms?: number) => accessMessage(accessFields(req, res, ms ?? 0)),
  });
}

interface AccessFields {
  method: string;
  route?: string;
  path?: string;
  status: number;
  ms: number;
  userId?: number;
  aborted?: true;
}

function accessFields(req: RequestWithActor, res: Response, ms: number): AccessFields {
  const matched = req.route as { path: string } | undefined;
  const route = matched ? `${req.baseUrl}${matched.path}` : undefined;
  return {
    method: req.method,
    route,
    // No route matched (a 404, the docs' assets): the path, without its query, cut short.
    path: route ? undefined : req.originalUrl.split('?')[0].slice(0, 200),
    status: res.statusCode,
    ms,
    userId: req.actor?.userId ?? undefined,
    // The connection closed before the answer was sent (the client gave up, or a timeout).
    aborted: res.writableFinished ? undefined : true,
  };
}

function accessMessage(f: AccessFields): string {
  return `${f.method} ${f.route ?? f.path} ${f.status} ${f.ms}ms${f.aborted ? ' (aborted)' : ''}`;
}

/** Registered after the body parser: a body is read in callbacks that do not keep the context of earlier middleware. */
export function bindRequestLogger(req: RequestWithActor, _res: Response, next: NextFunction): void {
  requestLogs.run(req.log, next);
}

/** Nest's own start-up chatter (a line per module and route), kept for debug. */
const NEST_CHATTER = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);
const STACK = /\n\s+at /;

/** Nest's LoggerService over the root logger, so `new Logger(...)` anywhere writes the same lines at the same level. */
export class ServiceLogger implements LoggerService {
  constructor(private readonly root: pino.Logger) {}

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  /** Nest passes (message, context) and, for errors, (message, stack, context); either may be missing. */
  private write(level: pino.Level, message: unknown, params: unknown[]): void {
    const rest = params.filter((p) => p !== undefined);
    const context = typeof rest.at(-1) === 'string' && !STACK.test(rest.at(-1) as string) ? (rest.pop() as string) : undefined;
    const stack = typeof rest[0] === 'string' && STACK.test(rest[0]) ? rest[0] : undefined;
    if (level === 'info' && context && NEST_CHATTER.has(context)) level = 'debug';
    const logger = requestLogs.getStore() ?? this.root;
    if (!logger.isLevelEnabled(level)) return;
    if (message instanceof Error) logger[level]({ context, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) logger[level]({ ...message, context, stack });
    else logger[level]({ context, stack }, String(message));
  }
}
