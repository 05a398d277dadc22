import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/contract/index.js';
import { NODE_TYPENAMES } from '../../src/resources/index.js';
import { readUntil, runToEnd } from '../support/process.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; scripts: Record<string, string> };

/** Every file `npm run build` compiles (tsconfig.build.json: src/ without the dev-only supergraph tool). */
function buildSources(dir = 'src'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (path === join('src', 'supergraph')) return [];
    return statSync(path).isDirectory() ? buildSources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Bare module specifiers a file loads at run time (type-only imports are erased by tsc). */
function runtimeImports(source: string): string[] {
  const statics = [...source.matchAll(/^import (?!type )[^'"]*?from '([^'.][^']*)'|^import '([^'.][^']*)'/gm)].map((m) => m[1] ?? m[2]!);
  const dynamics = [...source.matchAll(/import\('([^'.][^']*)'\)/g)].map((m) => m[1]!);
  return [...statics, ...dynamics];
}

const packageOf = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier);

describe('production build', () => {
  it('loads only production dependencies (never a devDependency)', () => {
    const offenders = buildSources().flatMap((file) =>
      runtimeImports(readFileSync(file, 'utf8'))
        .filter((specifier) => !isBuiltin(specifier) && !(packageOf(specifier) in pkg.dependencies))
        .map((specifier) => `${relative('.', file)}: ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('npm start serves dist/ without building first when dist/ is current', () => {
    expect(pkg.scripts.start).toMatch(/^node (--enable-source-maps )?dist\/src\/index\.js$/);
  });
});

describe('npm ci --omit=dev, in a copy of the project', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prod-install-'));
  // A whole node_modules: removed without blocking, and given time on a busy machine.
  afterAll(() => rm(dir, { recursive: true, force: true }), 120_000);
  const serverEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1' };

  beforeAll(async () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const build = await runToEnd(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', join(dir, 'dist')]);
    expect(build.stdout + build.stderr).toBe('');
    for (const path of ['package.json', 'package-lock.json', 'schema', 'scripts']) cpSync(path, join(dir, path), { recursive: true });
    const install = await runToEnd('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, env: { ...process.env, npm_config_loglevel: 'error' } });
    expect(install.status, install.stderr).toBe(0);
    expect(() => createRequire(join(dir, 'package.json')).resolve('typescript')).toThrow();
  }, 300_000);

  it('installs without devDependencies and npm start serves GraphQL', async () => {
    const child = spawn('npm', ['start', '--silent'], { cwd: dir, env: serverEnv });
    try {
      const ready = await readUntil(child.stdout, /Freshchat subgraph ready at (http:[^\s"]+)/);
      const url = /ready at (http:[^\s"]+)/.exec(ready)![1]!;
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ freshchat { ticketingUsers(first: 1) { totalCount } } }' }) });
      expect(await res.json()).toEqual({ data: { freshchat: { ticketingUsers: { totalCount: 150 } } } });
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);

  it('serves the node-router from dist/, routing every Freshchat entity type by default', async () => {
    const child = spawn(process.execPath, ['dist/src/node-router/main.js'], { cwd: dir, env: serverEnv });
    try {
      const ready = await readUntil(child.stdout, /node-router subgraph ready at (http:[^\s"]+)/);
      const url = /ready at (http:[^\s"]+)/.exec(ready)![1]!;
      const ids = NODE_TYPENAMES.map((typename) => toGlobalId({ provider: 'freshchat', typename, accountId: 'acme', remoteId: '1' }));
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { __typename } }', variables: { ids } }) });
      expect(await res.json()).toEqual({ data: { nodes: NODE_TYPENAMES.map((__typename) => ({ __typename })) } });
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
