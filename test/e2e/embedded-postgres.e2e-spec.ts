import { ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
}

/** The database of a fresh machine: started, stopped, and recovered after a killed parent. */
describe('embedded PostgreSQL', () => {
  let dataDir: string;
  let port: number;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fund-ledger-embedded-'));
    port = await freePort();
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const lockFile = () => join(dataDir, 'postgres', 'postmaster.pid');

  function start(options: { asUser?: string; dir?: string } = {}): Promise<Started> {
    const args = ['-r', 'ts-node/register/transpile-only', 'test/support/start-embedded.ts', options.dir ?? dataDir, String(port)];
    const child = options.asUser
      ? spawn('runuser', ['-u', options.asUser, '--', process.execPath, ...args])
      : spawn(process.execPath, args);
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

  async function stop(s: Started): Promise<void> {
    const exited = new Promise((r) => s.child.once('exit', r));
    s.child.kill('SIGTERM');
    await exited;
  }

  async function selectOne(url: string): Promise<number> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query('SELECT 1 AS one')).rows[0].one;
    } finally {
      await client.end();
    }
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
  const asRoot = process.getuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r', join(process.cwd(), 'node_modules/ts-node/package.json')]).status === 0;
  (asRoot ? it : it.skip)('runs as a normal user too (as root the cluster runs as a postgres user)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fund-ledger-embedded-user-'));
    spawnSync('chown', ['nobody', dir]);
    try {
      const s = await start({ asUser: 'nobody', dir });
      try {
        expect(await selectOne(s.url)).toBe(1);
        const owner = spawnSync('stat', ['-c', '%U', join(dir, 'postgres')]).stdout.toString().trim();
        expect(owner).toBe('nobody');
      } finally {
        await stop(s);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('recovers when the process that started it was killed and left its server running', async () => {
    const killed = await start();
    const orphan = Number((await readFile(lockFile(), 'utf8')).split('\n')[0]);
    const gone = new Promise((r) => killed.child.once('exit', r));
    killed.child.kill('SIGKILL');
    await gone;
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

/** Alive and not a zombie (an orphan's exit may never be reaped inside a container). */
async function running(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
