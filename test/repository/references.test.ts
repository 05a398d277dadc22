import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFile, scan, slug } from './references.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const problemsOf = (file: string, text: string) => checkFile(ROOT, file, text).map((p) => p.why);

describe('the repository explains itself', () => {
  it('points only at documents, files and headings that are in the repository', () => {
    const problems = scan(ROOT).map((p) => `${p.file}:${p.line}: ${p.text} (${p.why})`);
    expect(problems).toEqual([]);
  });
});

describe('checkFile', () => {
  it.each([
    ['a design brief by section', '// See DESIGN §5.'],
    ['a style brief by rule', '// STYLE rule 9 says so.'],
    ['the shared briefs folder', '// as in ../shared/notes'],
    ['research notes by path', '// research/freshchat-conversations.md'],
    ['research notes by section', '// research A.4: newest first'],
    ['a section sign without its document', '// the quirk of §8.8'],
    ['the provider notes outside docs/', '// freshchat-api.md has it'],
  ])('refuses %s in a comment', (_what, comment) => {
    expect(problemsOf('src/example.ts', `${comment}\nexport const x = 1;\n`)).not.toEqual([]);
  });

  it('accepts a section of a named RFC', () => {
    expect(problemsOf('src/example.ts', '// Retry-After (RFC 9110 §10.2.3).\n')).toEqual([]);
  });

  it('reads only the comments of code, not its strings', () => {
    expect(problemsOf('src/example.ts', "const a = 'src/missing.ts DESIGN §5';\nconst b = `${a} §2`;\n")).toEqual([]);
  });

  it('finds a comment after a regular expression and inside a template substitution', () => {
    const text = 'const r = /a\\/b/g;\n// src/missing-one.ts\nconst t = `x${ /* src/missing-two.ts */ 1 }y`;\n';
    expect(problemsOf('src/example.ts', text)).toEqual([
      'no such file in the repository: src/missing-one.ts',
      'no such file in the repository: src/missing-two.ts',
    ]);
  });

  it('refuses a repo path that does not exist, and accepts one that does', () => {
    expect(problemsOf('src/example.ts', '// see src/freshchat/mappers.ts\n')).toEqual(['no such file in the repository: src/freshchat/mappers.ts']);
    expect(problemsOf('src/example.ts', '// see src/freshchat/transport.ts\n')).toEqual([]);
  });

  it('takes an import specifier ending in .js for its TypeScript source', () => {
    expect(problemsOf('docs/example.md', 'Start `node dist/src/index.js` or read src/index.js.\n')).toEqual([]);
  });

  it('refuses a path without its top folder when no such module exists', () => {
    expect(problemsOf('src/hardening/example.ts', '// the page planning of relay/pages.ts\n')).toEqual(['no such file in the repository: src/relay/pages.ts']);
  });

  it('refuses an anchor that names no heading of its page, and accepts one that does', () => {
    expect(problemsOf('src/example.ts', '// docs/design.md#no-such-heading\n')).toEqual(['docs/design.md has no heading #no-such-heading']);
    expect(problemsOf('src/example.ts', '// docs/design.md#the-upstream-call-budget\n')).toEqual([]);
  });

  it('follows Markdown links relative to the page', () => {
    expect(problemsOf('docs/example.md', '[ok](hardening.md#operation-limits), [broken](hardening.md#nothing)\n')).toEqual([
      'docs/hardening.md has no heading #nothing',
    ]);
  });

  it('refuses a README section that does not exist', () => {
    expect(problemsOf('.ci/run', '# see README "Running in production" and README "Nowhere"\n')).toEqual(['README has no section "Nowhere"']);
  });
});

describe('slug', () => {
  it.each([
    ['Upstream call budget', 'upstream-call-budget'],
    ['429 is backpressure, not failure', '429-is-backpressure-not-failure'],
    ['Run it: `npm run supergraph`', 'run-it-npm-run-supergraph'],
    ['Several replicas: `REDIS_URL`', 'several-replicas-redis_url'],
  ])('turns %j into GitHub anchor %j', (heading, anchor) => {
    expect(slug(heading)).toBe(anchor);
  });
});
