import { ChildProcess, ChildProcessWithoutNullStreams, execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
}

const TS_NODE = ['-r', 'ts-node/register/transpile-only'];

/** The database of a fresh machine: started, stopped, and recovered after a killed parent. */
describe('embedded PostgreSQL', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fund-ledger-embedded-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const lockFile = (dir = dataDir) => join(dir, 'postgres', 'postmaster.pid');

  function start(options: { asUser?: string; dir?: string; port?: number } = {}): Promise<Started> {
    const args = [...TS_NODE, 'test/support/start-embedded.ts', options.dir ?? dataDir, options.port === undefined ? '' : String(options.port)];
    const child = options.asUser ? spawn('runuser', ['-u', options.asUser, '--', process.execPath, ...args]) : spawn(process.execPath, args);
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    return new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const m = /ready (\S+)/.exec(chunk.toString());
        if (m) resolve({ child, url: m[1] });
      });
      child.on('exit', (code) => reject(new Error(`embedded start exited with ${code}: ${err}`)));
    });
  }

  /** A start that must fail: its exit code and what it printed on stderr. */
  async function refused(options: { dir?: string; port?: number } = {}): Promise<{ code: number | null; stderr: string }> {
    const args = [...TS_NODE, 'test/support/start-embedded.ts', options.dir ?? dataDir, options.port === undefined ? '' : String(options.port)];
    const child = spawn(process.execPath, args);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) child.kill('SIGTERM');
    });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    return { code, stderr };
  }

  async function stop(s: Started): Promise<void> {
    const exited = new Promise((r) => s.child.once('exit', r));
    s.child.kill('SIGTERM');
    await exited;
  }

  it('initialises a cluster, serves it, and keeps it across restarts with the same password', async () => {
    const first = await start();
    expect(await selectOne(first.url)).toBe(1);
    await stop(first);
    const second = await start();
    expect(second.url).toBe(first.url);
    expect(await selectOne(second.url)).toBe(1);
    await stop(second);
  });

  it('listens on a socket in DATA_DIR, so two data directories run side by side, and writes its URL there', async () => {
    const otherDir = await mkdtemp(join(tmpdir(), 'fund-ledger-embedded-'));
    try {
      const [a, b] = await Promise.all([start(), start({ dir: otherDir })]);
      try {
        expect(a.url).toContain(encodeURIComponent(join(dataDir, 'postgres')));
        expect(b.url).toContain(encodeURIComponent(join(otherDir, 'postgres')));
        expect(await selectOne(a.url)).toBe(1);
        expect(await selectOne(b.url)).toBe(1);
        expect((await readFile(join(dataDir, 'postgres.url'), 'utf8')).trim()).toBe(a.url);
        expect((await readFile(join(otherDir, 'postgres.url'), 'utf8')).trim()).toBe(b.url);
      } finally {
        await Promise.all([stop(a), stop(b)]);
      }
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('falls back to a free port on 127.0.0.1, kept in DATA_DIR, when the socket path would be too long', async () => {
    const longDir = await mkdtemp(join(tmpdir(), `fund-ledger-embedded-${'long-'.repeat(16)}`));
    try {
      const first = await start({ dir: longDir });
      expect(first.url).toMatch(/@127\.0\.0\.1:\d+\/postgres$/);
      expect(await selectOne(first.url)).toBe(1);
      expect((await readFile(join(longDir, 'postgres.url'), 'utf8')).trim()).toBe(first.url);
      await stop(first);
      const second = await start({ dir: longDir });
      expect(second.url).toBe(first.url);
      await stop(second);
    } finally {
      await rm(longDir, { recursive: true, force: true });
    }
  });

  it('refuses a configured port that is in use in one line saying what to do', async () => {
    const taken = await listening();
    try {
      const { port } = taken.address() as { port: number };
      const { code, stderr } = await refused({ port });
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use.*EMBEDDED_PG_PORT`));
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  it('refuses, in one line, a cluster that another running process serves', async () => {
    const owner = await start();
    try {
      const { code, stderr } = await refused();
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(new RegExp(`in use by another process \\(pid ${owner.child.pid}\\b.*another DATA_DIR`));
      expect(await selectOne(owner.url)).toBe(1);
    } finally {
      await stop(owner);
    }
  });

  it('refuses, in one line, a DATA_DIR it cannot create', async () => {
    const file = join(dataDir, 'not-a-directory');
    await writeFile(file, '');
    const { code, stderr } = await refused({ dir: join(file, 'data') });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/cannot create or write DATA_DIR .*not-a-directory\/data/);
  });

  it('starts over a stale postmaster.pid naming a live process that is not PostgreSQL', async () => {
    await writeFile(lockFile(), `${process.pid}\n${dataDir}/postgres\n`);
    const s = await start();
    expect(await selectOne(s.url)).toBe(1);
    await stop(s);
  });

  it('starts over a stale postmaster.pid naming a dead process', async () => {
    const dead = spawnSync('true').pid;
    await writeFile(lockFile(), `${dead}\n${dataDir}/postgres\n`);
    const s = await start();
    expect(await selectOne(s.url)).toBe(1);
    await stop(s);
  });

  // As root, run the starter as `nobody`, when this checkout is readable by it.
  const asRoot =
    process.getuid?.() === 0 &&
    spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r', join(process.cwd(), 'node_modules/ts-node/package.json')]).status === 0;
  (asRoot ? it : it.skip)('runs as a normal user too (as root the cluster runs as a postgres user)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fund-ledger-embedded-user-'));
    spawnSync('chown', ['nobody', dir]);
    try {
      const s = await start({ asUser: 'nobody', dir });
      try {
        expect(await selectOne(s.url)).toBe(1);
        const owner = spawnSync('stat', ['-c', '%U', join(dir, 'postgres')])
          .stdout.toString()
          .trim();
        expect(owner).toBe('nobody');
      } finally {
        await stop(s);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops its server when the process that started it dies of a signal it does not handle', async () => {
    const s = await start();
    const server = await serverPid(dataDir);
    const exited = new Promise((r) => s.child.once('exit', r));
    s.child.kill('SIGINT');
    await exited;
    expect(await gone(server)).toBe(true);
  });

  it('recovers when the process that started it was killed and left its server running', async () => {
    const killed = await start();
    const orphan = await serverPid(dataDir);
    const exited = new Promise((r) => killed.child.once('exit', r));
    killed.child.kill('SIGKILL');
    await exited;
    expect(await running(orphan)).toBe(true);

    const s = await start();
    try {
      expect(await running(orphan)).toBe(false);
      expect(await selectOne(s.url)).toBe(1);
    } finally {
      await stop(s);
    }
  });
});

/**
 * The service as `npm start` runs it, on a fresh DATA_DIR, with CLI commands beside it and Ctrl-C at the end (a
 * terminal sends SIGINT to the whole foreground process group).
 */
describe('the service on the embedded database', () => {
  let dataDir: string;
  let service: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;

  const env = () => {
    const e: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NO_COLOR: '1', LOG_LEVEL: 'warn', PASSWORD_HASH_COST: '10' };
    delete e.DATABASE_URL;
    delete e.EMBEDDED_PG_PORT;
    return e;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fund-ledger-service-'));
    const port = await freePort();
    service = spawn(process.execPath, [...TS_NODE, 'src/main.ts'], { env: { ...env(), PORT: String(port) }, detached: true });
    service.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    service.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((r) => service.once('exit', (code) => r(code)));
    const up = await Promise.race([healthy(`http://127.0.0.1:${port}/health`, 50_000), exited.then(() => false)]);
    if (!up) throw new Error(`the service did not start:\n${output}`);
  }, 60_000);

  afterAll(async () => {
    if (service.exitCode === null && service.signalCode === null) process.kill(-service.pid!, 'SIGKILL');
    const server = existsSync(join(dataDir, 'postgres', 'postmaster.pid')) ? await serverPid(dataDir) : undefined;
    if (server !== undefined && (await running(server))) process.kill(server, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [...TS_NODE, 'src/cli/main.ts', ...args], { env: env() }, (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it('lets CLI commands use its running database', async () => {
    const sealed = await cli('seal-events');
    expect(sealed.stderr).toBe('');
    expect(sealed).toMatchObject({ code: 0, stdout: expect.stringMatching(/^sealed \d+ event\(s\)$/m) });

    const printed = await cli('db-url');
    expect(printed.code).toBe(0);
    const url = printed.stdout.trim();
    expect(url).toBe((await readFile(join(dataDir, 'postgres.url'), 'utf8')).trim());
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM users WHERE username = 'admin'`);
      expect(rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
  }, 60_000);

  it('shuts down cleanly on Ctrl-C: the last sealing runs before its PostgreSQL stops, and nothing below LOG_LEVEL is printed', async () => {
    const server = await serverPid(dataDir);
    process.kill(-service.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(output).not.toMatch(/final sealing failed/);
    // LOG_LEVEL=warn: the first admin's password is the one line of a first start; no PostgreSQL chatter. Not on a
    // terminal, every line is JSON.
    const lines = output
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: string });
    expect(lines.every((l) => l.level === 'warn')).toBe(true);
    expect(await gone(server)).toBe(true);
  }, 60_000);
});

async function selectOne(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT 1 AS one')).rows[0].one;
  } finally {
    await client.end();
  }
}

async function serverPid(dir: string): Promise<number> {
  return Number((await readFile(join(dir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

/** Alive and not a zombie (an orphan's exit may never be reaped inside a container). */
async function running(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The server gets the stop signal as its parent exits; give it a few seconds to finish its checkpoint. */
async function gone(pid: number): Promise<boolean> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    if (!(await running(pid))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function healthy(url: string, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
  }
  return false;
}

function listening(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function freePort(): Promise<number> {
  const server = await listening();
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}
