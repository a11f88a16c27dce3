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
