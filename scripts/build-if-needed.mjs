// `npm start`'s prestart (and `npm run dev`'s, `npm run accounts`'): builds what is older than its
// sources, saying so on one line first (a first build takes seconds), and nothing when all is current.
//  - dist/ with tsc, when a source is newer. In a production install (`npm ci --omit=dev`, no
//    TypeScript) the dist/ built beforehand is served as it is; without one, one line says what to do.
//  - dist/ide/ (the GraphQL IDE of development, from ide/ and the README's examples) with vite, when
//    vite is installed and NODE_ENV is not production: production serves no IDE.
// `--only=server` or `--only=ide` builds one of them (`npm run accounts` needs no IDE, `npm run dev`
// runs the sources with tsx). An IDE that fails to build does not stop the server: the page says so.
// Progress goes to stderr, so a command's own output (the accounts CLI's JSON) stays clean.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** @param {string} path @returns {number} the newest modification time under `path`, 0 if absent */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** @param {string} output */
const builtAt = (output) => (existsSync(output) ? statSync(output).mtimeMs : 0);
/** @param {string} output @param {string[]} inputs */
const isCurrent = (output, inputs) => builtAt(output) > 0 && builtAt(output) >= Math.max(...inputs.map(newest));

/** @param {string} specifier @returns {string | undefined} */
function resolveOrUndefined(specifier) {
  try {
    return require.resolve(specifier);
  } catch {
    return undefined;
  }
}

/** @param {string[]} args @returns {number} the exit status */
function run(args) {
  return spawnSync(process.execPath, args, { stdio: 'inherit' }).status ?? 1;
}

function buildServer() {
  const output = 'dist/src/index.js';
  if (isCurrent(output, ['src', 'schema', 'tsconfig.json', 'tsconfig.build.json'])) return 0;
  const tsc = resolveOrUndefined('typescript/bin/tsc');
  if (tsc === undefined) {
    if (builtAt(output) > 0) return 0; // a production install: serve what was built
    console.error('dist/ is missing and TypeScript is not installed: run `npm run build` before a production install (npm ci --omit=dev)');
    return 1;
  }
  console.error(`Building dist/ with tsc (${builtAt(output) > 0 ? 'a source changed' : 'first run'}; about 10 s)...`);
  return run([tsc, '-p', 'tsconfig.build.json']);
}

function buildIde() {
  if (process.env.NODE_ENV === 'production' || isCurrent('dist/ide/index.html', ['ide', 'README.md'])) return 0;
  const manifest = resolveOrUndefined('vite/package.json');
  if (manifest === undefined) return 0; // no dev dependencies: the IDE is a development tool
  // vite's command line (its package.json `bin`), run with this Node rather than through a shell.
  const vite = join(dirname(manifest), 'bin', 'vite.js');
  console.error('Building the GraphQL IDE into dist/ide/ with vite (GraphiQL for GET /graphql; about 40 s of CPU)...');
  if (run([vite, 'build', '--config', 'ide/vite.config.ts']) !== 0) {
    console.error('The GraphQL IDE did not build (above): GET /graphql serves a plain query page instead; `npm run build:ide` tries again');
  }
  return 0;
}

const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const status = only === 'ide' ? 0 : buildServer();
process.exit(status !== 0 || only === 'server' ? status : buildIde());
