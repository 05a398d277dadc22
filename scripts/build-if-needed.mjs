// `npm start`'s prestart: builds dist/ when a source is newer than it. In a production install
// (`npm ci --omit=dev`, no TypeScript) the dist/ built beforehand is served as it is; without one,
// one line says what to do.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const OUTPUT = 'dist/src/index.js';
const INPUTS = ['src', 'schema', 'tsconfig.json', 'tsconfig.build.json'];

/** @param {string} path @returns {number} the newest modification time under `path`, 0 if absent */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function typescript() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

const built = existsSync(OUTPUT) ? statSync(OUTPUT).mtimeMs : 0;
if (built > 0 && built >= Math.max(...INPUTS.map(newest))) process.exit(0);
const tsc = typescript();
if (tsc === undefined) {
  if (built > 0) process.exit(0); // a production install: serve what was built
  console.error('dist/ is missing and TypeScript is not installed: run `npm run build` before a production install (npm ci --omit=dev)');
  process.exit(1);
}
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
