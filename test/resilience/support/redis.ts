/**
 * A real Redis for the tests that need one: a `redis-server` child on a free loopback port when the
 * binary exists (so a test can kill it), else TEST_REDIS_URL behind a loopback TCP proxy (so a test
 * can cut it). With neither, those tests are skipped loudly — unless REQUIRE_REDIS=1 (CI), where
 * they fail instead, so CI can never pass by silently skipping them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { describe } from 'vitest';
import { isRequired } from '../../support/required.js';

type Mode = 'binary' | 'url' | 'none';

const mode: Mode =
  spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0
    ? 'binary'
    : process.env.TEST_REDIS_URL
      ? 'url'
      : 'none';
const required = isRequired('REDIS');

/** `describe` for suites that need Redis: skipped with a loud warning when none is available. */
export function describeWithRedis(name: string, suite: () => void): void {
  if (mode === 'none' && !required) {
    const line = '!'.repeat(100);
    console.warn(`${line}\nSKIPPED "${name}": no redis-server binary and no TEST_REDIS_URL (set REQUIRE_REDIS=1 to fail instead)\n${line}`);
    describe.skip(name, suite);
    return;
  }
  describe(name, suite);
}

export interface TestRedis {
  url: string;
  /** Makes Redis unreachable at once (SIGKILL, or the proxy cut). */
  kill(): Promise<void>;
  /** Brings it back on the same URL. */
  restart(): Promise<void>;
  /** Keeps accepting TCP but answers nothing (SIGSTOP, or the proxy stops forwarding). */
  freeze(): void;
  /** Answers again, the commands sent meanwhile included. */
  thaw(): void;
  close(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  if (mode === 'binary') return startServer(await freePort());
  if (mode === 'url') return startProxy(new URL(process.env.TEST_REDIS_URL!));
  throw new Error('REQUIRE_REDIS=1, but there is no redis-server binary and TEST_REDIS_URL is not set');
}

async function startServer(port: number): Promise<TestRedis> {
  let child: ChildProcess | undefined = await spawnRedis(port);
  const kill = async () => {
    if (!child) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    child = undefined;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    kill,
    restart: async () => void (child ??= await spawnRedis(port)),
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    // A stopped process ignores SIGKILL until it is continued.
    close: async () => {
      child?.kill('SIGCONT');
      await kill();
    },
  };
}

async function spawnRedis(port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  return child;
}

/** TEST_REDIS_URL reached through a loopback proxy that the test can cut and restore. */
async function startProxy(target: URL): Promise<TestRedis> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let frozen = false;
  const listen = async () => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => sockets.delete(socket));
        if (frozen) socket.pause();
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
  };
  const cut = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  };
  await listen();
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  const freeze = (paused: boolean) => {
    frozen = paused;
    for (const socket of sockets) {
      if (paused) socket.pause();
      else socket.resume();
    }
  };
  return {
    url: url.toString(),
    kill: cut,
    restart: async () => void (server ?? (await listen())),
    freeze: () => freeze(true),
    thaw: () => freeze(false),
    close: cut,
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A key prefix of its own per test, so tests sharing one Redis never see each other's state. */
export const uniquePrefix = (name: string) => `test-${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
