/**
 * Request/answer over a child process's IPC channel, so each server runs in its own process and
 * its CPU time (process.cpuUsage) is its own, not the load generator's or the sandbox's.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Handler = (arg: unknown) => unknown;

/** In a child: answers the parent's commands; sends `{ ready }` once `start` resolves. */
export async function serveCommands(start: () => Promise<{ url: string; handlers: Record<string, Handler> }>): Promise<void> {
  const { url, handlers } = await start();
  const all: Record<string, Handler> = { ...handlers, usage: () => usage(), gc: () => heapAfterGc(), exit: () => setImmediate(() => process.exit(0)) };
  const answer = async (message: { id: number; cmd: string; arg?: unknown }) => {
    try {
      const result = await all[message.cmd]!(message.arg);
      process.send!({ id: message.id, result });
    } catch (error) {
      process.send!({ id: message.id, error: String(error) });
    }
  };
  process.on('message', (message: { id: number; cmd: string; arg?: unknown }) => void answer(message));
  // The parent gone (a failed run, Ctrl-C): no server is left behind.
  process.on('disconnect', () => process.exit(0));
  process.send!({ ready: url });
}

export interface Usage {
  cpuMs: number;
  rssMiB: number;
  maxRssMiB: number;
  heapMiB: number;
}

function usage(): Usage {
  const cpu = process.cpuUsage();
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssMiB: process.memoryUsage().rss / 2 ** 20,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    heapMiB: process.memoryUsage().heapUsed / 2 ** 20,
  };
}

function heapAfterGc(): number {
  // Twice: the first pass can leave objects only a second one frees (weak references, finalizers).
  global.gc?.();
  global.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

export interface Child {
  url: string;
  call<T>(cmd: string, arg?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Forks `script` (a .ts file next to this one) with tsx and --expose-gc; resolves once it listens.
 * Each child gets a DATA_DIR of its own, a new temporary directory removed when it stops: a bench
 * server never opens the repo's `.data/` (or the caller's registry) and its linked accounts.
 */
export function spawnChild(script: string, env: Record<string, string>): Promise<Child> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-data-'));
  const child: ChildProcess = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    // BENCH_CPU_PROF=DIR: a V8 CPU profile of every server, written when it exits (bench/profile-summary.ts).
    execArgv: ['--expose-gc', '--import', 'tsx', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
    env: { ...process.env, NODE_ENV: 'production', DATA_DIR: dataDir, ...env },
    // stdout discarded: the subgraph's access log is written (its cost is real) but not shown.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  let next = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.on('message', (message: { ready?: string; id?: number; result?: unknown; error?: string }) => {
      if (message.ready !== undefined) {
        resolve({
          url: message.ready,
          call: <T>(cmd: string, arg?: unknown) =>
            new Promise<T>((res, rej) => {
              const id = next++;
              pending.set(id, { resolve: res, reject: rej });
              child.send({ id, cmd, arg });
            }),
          stop: () =>
            new Promise<void>((res) => {
              if (child.exitCode !== null) return res();
              child.once('exit', () => res());
              // A clean exit, so --cpu-prof writes its profile; SIGTERM if the child does not answer.
              child.send({ id: -1, cmd: 'exit' });
              setTimeout(() => child.kill('SIGTERM'), 5_000).unref();
            }),
        });
        return;
      }
      const waiter = pending.get(message.id!);
      pending.delete(message.id!);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
    });
  });
}
