import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Replica {
  url: string;
  /** Everything the process logged so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * One subgraph replica as `npm start` runs it: its own OS process (src/index.ts through tsx), with
 * only the given environment. Resolves once it listens and, with REDIS_URL, once Redis is connected.
 * Each gets a temporary DATA_DIR of its own (removed when it stops): a server holds its embedded
 * registry from its start, one process at a time, so replicas cannot share the repository's .data/.
 */
export async function startReplica(env: Record<string, string>): Promise<Replica> {
  const dataDir = await mkdtemp(join(tmpdir(), 'replica-data-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stopAndClean = async () => {
    await stop(child);
    await rm(dataDir, { recursive: true, force: true });
  };
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const patterns = [/ready at (http:\/\/\S+?\/graphql)/, ...(env.REDIS_URL ? [/Redis connected/] : [])];
  try {
    await until(child, () => patterns.every((pattern) => pattern.test(text)), () => text);
  } catch (error) {
    // A replica that did not start is not left running (or holding its directory) after the test.
    await stopAndClean();
    throw error;
  }
  const url = /ready at (http:\/\/\S+?\/graphql)/.exec(text)![1]!.replace('localhost', '127.0.0.1');
  return { url, output: () => text, stop: stopAndClean };
}

async function until(child: ChildProcess, done: () => boolean, output: () => string): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (child.exitCode !== null) throw new Error(`replica exited with ${child.exitCode}: ${output()}`);
    if (Date.now() - started > 30_000) throw new Error(`replica did not start: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
