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

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

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

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL = 'log';

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

  /** Failed logins allowed per username, and per client address, within LOGIN_WINDOW_SECONDS. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES_PER_USERNAME = 5;

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

  /** Largest request body accepted, in bytes of JSON. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

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
