import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, validateSync } from 'class-validator';

/**
 * Every variable the service reads, validated once at start-up. Services read configuration through
 * `ConfigService.getOrThrow`, never `process.env`. `.env.example` documents each one.
 */
export class Env {
  /** postgres://user:pass@host:port/db. Unset: an embedded PostgreSQL is started in DATA_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsString()
  DATA_DIR = './.data';

  /** TCP port of the embedded PostgreSQL on 127.0.0.1. Unset: a Unix socket in DATA_DIR (or a free port when the
   * socket's path would be too long), so checkouts side by side never compete for a port. */
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT?: number;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Matches(/^[0-9A-Za-z_-]{1,32}$/, { message: 'COUNTY_CODE must be 1-32 letters, digits, _ or -' })
  COUNTY_CODE = '421124';

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  COUNTY_NAME = '英山縣';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  /** Nest's names: error, warn, log (info), debug, verbose. Everything the service prints honours it. */
  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /** json: one object a line, for files and collectors; pretty: readable lines. Unset: pretty on a terminal, else json. */
  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  /** Secret that signs access tokens (HS256), at least 32 characters. Unset: generated into DATA_DIR on the
   * embedded database; required with DATABASE_URL. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  JWT_SECRET?: string;

  /** Lifetime of an access token, in seconds. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(60)
  @Max(86_400)
  JWT_TTL_SECONDS = 900;

  /** The first admin, created when the county has no user yet. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{3,64}$/, { message: 'ADMIN_USERNAME must be 3-64 letters, digits, . _ or -' })
  ADMIN_USERNAME?: string;

  /** Checked by the password policy when it is used; a weak one stops the start (src/access/access-bootstrap.ts). */
  @IsOptional()
  @IsString()
  @MinLength(12)
  ADMIN_PASSWORD?: string;

  /** bcrypt cost of password hashes (2^cost rounds). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(10)
  @Max(15)
  PASSWORD_HASH_COST = 12;

  /**
   * Failed logins allowed for one username from one client address, and from one client address in all, within
   * LOGIN_WINDOW_SECONDS; then that pair or address is answered 429. Never per username alone, so a guesser cannot
   * lock the owner out (docs/security.md).
   */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES_PER_USERNAME_AND_ADDRESS = 5;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES_PER_ADDRESS = 50;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LOGIN_WINDOW_SECONDS = 900;

  /** How often committed audit events are sealed into their county's hash chain. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(50)
  @Max(60_000)
  AUDIT_SEAL_INTERVAL_MS = 500;

  /**
   * The key that signs the audit checkpoints (docs/audit-package.md): the base64 of a 32-byte Ed25519 seed, one line
   * that fits an environment. Unset: generated once into DATA_DIR/audit-signing-key.pem on the embedded database;
   * required with DATABASE_URL, so every instance on one database signs with one key (docs/operations.md).
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'AUDIT_SIGNING_KEY must be the base64 of a 32-byte Ed25519 seed (44 characters)' })
  AUDIT_SIGNING_KEY?: string;

  /** How long a county's sealed head may run ahead of its last signed checkpoint; 0: only AUDIT_CHECKPOINT_EVENTS. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  AUDIT_CHECKPOINT_INTERVAL_MS = 600_000;

  /** How many sealed events past its last checkpoint make a county's next checkpoint due at once. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  AUDIT_CHECKPOINT_EVENTS = 1000;

  /**
   * Exports (books, registers, audit packages) one service instance streams at once: each holds a database connection
   * and a snapshot for as long as its download lasts, so a few slow clients must not take the pool.
   */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(32)
  EXPORTS_CONCURRENCY = 2;

  /**
   * How often the monitoring scheduler looks for a county whose daily run has not happened today (one scheduled run
   * per county and day, whichever instance gets there first); 0 turns the schedule off.
   */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  MONITORING_INTERVAL_MS = 600_000;

  /** Whether the cheap detectors run right after the workflow steps that can trigger them (`off` in most tests). */
  @IsIn(['on', 'off'])
  MONITORING_AFTER_STEPS: 'on' | 'off' = 'on';

  /** Which reverse proxies to believe about the client's address (Express `trust proxy`); unset: none. */
  @IsOptional()
  @Matches(/^[0-9A-Za-z.:/, -]{1,200}$/, { message: 'TRUST_PROXY must be an Express trust proxy value: loopback, addresses or subnets, or a number of hops' })
  TRUST_PROXY?: string;

  /** Time a client has to send a request's headers, and the whole request, before the connection is closed. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1000)
  @Max(600_000)
  HTTP_HEADERS_TIMEOUT_MS = 10_000;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  HTTP_REQUEST_TIMEOUT_MS = 120_000;

  /** Largest request body accepted, in bytes of JSON. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  /** Where an upload is streamed while its request runs (removed when the request ends). Unset: the system's temp dir. */
  @IsOptional()
  @IsString()
  UPLOAD_TMP_DIR?: string;

  /**
   * The address the public reaches the service at (https://gs.example.gov.cn): notices' QR codes and public links
   * carry it. Unset: http://localhost:PORT, fine for trying the service, wrong for paper on a board.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { message: 'PUBLIC_BASE_URL must be an http(s) URL without query or fragment' })
  PUBLIC_BASE_URL?: string;

  /** Largest claim attachment (a scanned PDF, JPEG or PNG), in bytes; larger uploads answer 413. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1024)
  @Max(104_857_600)
  ATTACHMENT_MAX_BYTES = 10_485_760;
}

export function validateEnv(raw: Record<string, unknown>): Env {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(Env, defined, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`);
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return env;
}
