import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// What a production install relies on, checked from the sources; installing one for real is the
// packaging stage's job (test/packaging/production-install.test.ts, `npm run test:packaging`).

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
