import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY_ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const CLI = path.join(REPOSITORY_ROOT, 'platform/src/cli/main.ts');

/** Most characters of the child's output kept for error messages. */
const MAX_OUTPUT_CHARS = 64 * 1024;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** Settings the parent's environment may hold that must not leak into the platform child. */
const PLATFORM_VARIABLES = /^(LUMIO_|DATABASE_URL$|REDIS_URL$|PORT$|HOST$|LOG_LEVEL$|NODE_ENV$)/;

export interface PlatformProcessOptions {
  /** Loopback port the platform listens on; the same on every start, as a provider's URL stays the same. */
  port: number;
  dataDir: string;
  connectorsDir: string;
  /** PostgreSQL connection string; SQLite in `dataDir` when absent. */
  databaseUrl?: string;
  redisUrl?: string;
  /** More platform settings, such as LUMIO_WEBHOOK_RATE_PER_SECOND. */
  env?: Record<string, string>;
  /** Extra Node.js flags for the child, such as `--cpu-prof`. */
  nodeFlags?: string[];
}

/**
 * The platform's `start` command in a child process, started, killed and started again on
 * the same port, data folder and database.
 */
export class PlatformProcess {
  readonly apiKey = `test_${randomBytes(24).toString('base64url')}`;
  readonly url: string;
  readonly #options: PlatformProcessOptions;
  #child: ChildProcess | null = null;
  #output = '';

  constructor(options: PlatformProcessOptions) {
    this.#options = options;
    this.url = `http://127.0.0.1:${options.port}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Returns the end of the child's stdout and stderr since the last start. */
  output(): string {
    return this.#output;
  }

  /** Starts the child and resolves once its banner shows that it listens. */
  async start(): Promise<void> {
    if (this.#child) throw new Error(`The platform is already running as pid ${this.#child.pid}; stop or kill it first.`);

    this.#output = '';
    const child = spawn(process.execPath, [...(this.#options.nodeFlags ?? []), '--import', 'tsx', CLI, 'start'], {
      cwd: REPOSITORY_ROOT,
      env: this.#environment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString('utf8')).slice(-MAX_OUTPUT_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);

    await this.#waitForBanner(child);
  }

  /** Kills the child with SIGKILL, as a crash or an out-of-memory kill would, and waits for its exit. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child) return;

    const exited = exitOf(child);
    child.kill('SIGKILL');
    await exited;
    this.#child = null;
  }

  /** Stops the child with SIGTERM, and with SIGKILL if it is still running after 10 s. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;

    const exited = exitOf(child);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
    this.#child = null;
  }

  /**
   * Calls the platform's API with the admin key and parses the JSON response. A GET is sent
   * again after a network error, because a kept-alive connection may belong to a killed
   * process or be closed by the server's idle timeout just as the request goes out.
   */
  async call(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: any }> {
    const attempts = method === 'GET' ? 3 : 1;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const response = await fetch(`${this.url}${apiPath}`, {
          method,
          headers: { authorization: `Bearer ${this.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        return { status: response.status, body: text ? JSON.parse(text) : null };
      } catch (error) {
        if (attempt >= attempts || !(error instanceof TypeError)) throw error;
      }
    }
  }

  #environment(): Record<string, string> {
    const inherited = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !PLATFORM_VARIABLES.test(entry[0])));
    const { port, dataDir, connectorsDir, databaseUrl, redisUrl } = this.#options;

    return {
      ...inherited,
      PORT: String(port),
      HOST: '127.0.0.1',
      LUMIO_DATA_DIR: dataDir,
      LUMIO_CONNECTORS_DIR: connectorsDir,
      LUMIO_ADMIN_API_KEY: this.apiKey,
      LUMIO_DEMO: 'false',
      LOG_LEVEL: 'warn',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      ...this.#options.env,
    };
  }

  async #waitForBanner(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.#output.includes(`listening on ${this.url}`)) return;
      if (child.exitCode !== null || child.signalCode !== null) {
        this.#child = null;
        throw new Error(`The platform exited before it listened (code ${child.exitCode}, signal ${child.signalCode}):\n${this.#output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await this.kill();
    throw new Error(`The platform did not listen on ${this.url} within ${START_TIMEOUT_MS} ms:\n${this.#output}`);
  }
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Finds a free loopback port by listening on port 0 and closing again. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('The probe server has no port.'))));
    });
  });
}
