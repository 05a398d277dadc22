import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface Replica {
  url: string;
  /** Everything the process logged so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * One subgraph replica as `npm start` runs it: its own OS process (src/index.ts through tsx), with
 * only the given environment. Resolves once it listens and, with REDIS_URL, once Redis is connected.
 */
export async function startReplica(env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const patterns = [/ready at (http:\/\/\S+?\/graphql)/, ...(env.REDIS_URL ? [/Redis connected/] : [])];
  await until(child, () => patterns.every((pattern) => pattern.test(text)), () => text);
  const url = /ready at (http:\/\/\S+?\/graphql)/.exec(text)![1]!.replace('localhost', '127.0.0.1');
  return { url, output: () => text, stop: () => stop(child) };
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
