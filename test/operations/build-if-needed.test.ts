import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start`'s prestart (and `npm run accounts`'), in a copy of a tiny project that uses this repo's
// node_modules: a first build is announced on one line, a current build costs nothing.
const dir = mkdtempSync(join(tmpdir(), 'build-if-needed-'));
mkdirSync(join(dir, 'src'));
mkdirSync(join(dir, 'scripts'));
cpSync('scripts/build-if-needed.mjs', join(dir, 'scripts/build-if-needed.mjs'));
symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
writeFileSync(join(dir, 'src/index.ts'), 'export const ready: boolean = true;\n');
writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', outDir: 'dist', rootDir: '.', types: [] } }));
writeFileSync(join(dir, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json', include: ['src'] }));

function prestart(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['scripts/build-if-needed.mjs', ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stderr })));
}

describe('scripts/build-if-needed.mjs', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says on one line that it builds before a first build, then builds', async () => {
    const first = await prestart('--only=server');
    expect(first.code).toBe(0);
    expect(first.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Building dist\/ with tsc \(first run; /)]);
    expect(existsSync(join(dir, 'dist/src/index.js'))).toBe(true);
  }, 120_000);

  it('does nothing, silently, when the build is current', async () => {
    expect(await prestart('--only=server')).toEqual({ code: 0, stderr: '' });
  }, 60_000);

  it('builds no IDE with NODE_ENV=production', async () => {
    const child = spawn(process.execPath, ['scripts/build-if-needed.mjs'], { cwd: dir, env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise((done) => child.on('close', done))).toBe(0);
    expect(stderr).toBe('');
  }, 60_000);
});
