import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readUntil, runToEnd } from '../support/process.js';

/**
 * The packaging stage (`npm run test:packaging`, its own stage in .ci/run): a production install in a
 * copy of the project, as the README and the Dockerfile do it. It shares the build's work: dist/ is
 * built only when a source is newer (scripts/build-if-needed.mjs, as `npm start` does), so after
 * `npm run build` no compiler runs here.
 */
describe('npm ci --omit=dev && npm start, in a copy of the project', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prod-install-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('installs without devDependencies and serves GraphQL', async () => {
    const build = await runToEnd(process.execPath, ['scripts/build-if-needed.mjs']);
    expect(build.status, build.output).toBe(0);
    for (const path of ['package.json', 'package-lock.json', 'schema', 'scripts', 'dist']) cpSync(path, join(dir, path), { recursive: true });
    const install = await runToEnd('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: dir,
      env: { ...process.env, npm_config_loglevel: 'error' },
    });
    expect(install.status, install.output).toBe(0);
    expect(() => createRequire(join(dir, 'package.json')).resolve('typescript')).toThrow();

    // Its own process group: npm start runs the server under a shell, and npm does not pass a SIGTERM
    // on to it, so the group is what is stopped (else the server outlives the test and the CI job).
    const child = spawn('npm', ['start', '--silent'], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1' },
      detached: true,
    });
    const exited = once(child, 'exit');
    try {
      const ready = await readUntil(child.stdout, /Freshchat subgraph ready at (http:[^\s"]+)/);
      const url = /ready at (http:[^\s"]+)/.exec(ready)![1]!;
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ freshchat { ticketingUsers(first: 1) { totalCount } } }' }) });
      expect(await res.json()).toEqual({ data: { freshchat: { ticketingUsers: { totalCount: 150 } } } });
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  }, 300_000);
});
