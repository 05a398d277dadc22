import { spawn } from 'node:child_process';

/** Collects a child process's output until `pattern` matches it (45 s at most, unless told: a start under tsx on a loaded machine). */
export function readUntil(stream: NodeJS.ReadableStream, pattern: RegExp, timeoutMs = 45_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}: ${text}`)), timeoutMs);
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

/** What a finished child wrote: each stream, and both interleaved as they came. */
export interface Finished {
  status: number | null;
  output: string;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its end without blocking the test worker: a spawnSync of minutes (an install, a
 * build) starves vitest's own messages to the worker, which then fails the run with a timeout.
 */
export async function runToEnd(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Finished> {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stderr += chunk.toString();
  });
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  return { status, output, stdout, stderr };
}
