import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * What a reader of the repository can follow: every document a comment or page points at is in the
 * repository, every repo path it names exists, and every `#anchor` names a heading of its page.
 * Checked over the prose only: comments of code files, the whole text of documents and configs.
 */
export interface Problem {
  file: string;
  line: number;
  text: string;
  why: string;
}

/** Where prose that a reader follows lives; generated output and dependencies are not scanned. */
export const SCANNED = ['src', 'test', 'schema', 'bench', 'scripts', 'docs', '.ci', 'README.md', '.env.example', 'codegen.ts', 'vitest.config.ts', 'eslint.config.js', 'Dockerfile', 'compose.yaml', 'package.json'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'artifacts', '.data', 'report', '__generated__']);
const CODE = new Set(['.ts', '.js', '.mjs', '.cjs']);
const PROSE = new Set(['.md', '.graphql', '.yaml', '.yml', '.json', '.example', '']);

/** Documents that live outside the repository, in any of the spellings they were cited by. */
const FOREIGN: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /\bDESIGN(?:\.md)?\s*§|\bDESIGN\.md\b/, why: 'cites a design brief that is not in the repository (point at docs/design.md)' },
  { pattern: /\bSTYLE(?:\.md\b| rule\b)/, why: 'cites a style brief that is not in the repository' },
  { pattern: /\.\.\/shared\b|\/work\/shared\b/, why: 'points outside the repository' },
  { pattern: /\bresearch\/[\w.-]+|\bresearch [A-Z]\.\d/, why: 'cites research notes that are not in the repository (point at docs/freshchat-api.md)' },
];

/** A `§` that is not a section of a named RFC or specification is a section of some unnamed document. */
const SECTION = /§\s?\d/g;
const NAMED_SPEC = /(RFC \d+|connections\.htm|ECMA-\d+)[^§]{0,24}$/;

export function scan(root: string): Problem[] {
  const problems: Problem[] = [];
  for (const file of SCANNED.flatMap((entry) => filesUnder(root, entry))) {
    problems.push(...checkFile(root, file, readFileSync(join(root, file), 'utf8')));
  }
  return problems;
}

function filesUnder(root: string, entry: string): string[] {
  const path = join(root, entry);
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [entry];
  return readdirSync(path, { withFileTypes: true }).flatMap((dirent) => {
    if (dirent.isDirectory()) return SKIPPED_DIRS.has(dirent.name) ? [] : filesUnder(root, join(entry, dirent.name));
    const ext = extname(dirent.name);
    return CODE.has(ext) || PROSE.has(ext) ? [join(entry, dirent.name)] : [];
  });
}

/** The problems of one file, given its text: code files are judged on their comments only. */
export function checkFile(root: string, file: string, text: string): Problem[] {
  const chunks = CODE.has(extname(file)) ? commentsOf(file, text) : [{ start: 0, text }];
  const problems: Problem[] = [];
  for (const chunk of chunks) {
    const report = (offset: number, found: string, why: string) =>
      problems.push({ file, line: lineAt(text, chunk.start + offset), text: found, why });
    for (const { pattern, why } of FOREIGN) {
      const match = pattern.exec(chunk.text);
      if (match) report(match.index, match[0], why);
    }
    for (const match of chunk.text.matchAll(SECTION)) {
      if (!NAMED_SPEC.test(chunk.text.slice(Math.max(0, match.index - 40), match.index))) report(match.index, match[0], 'cites a section of a document it does not name');
    }
    if (file !== 'docs/freshchat-api.md' && !file.startsWith('docs/')) {
      for (const match of chunk.text.matchAll(/(?<![\w/-])freshchat-api\.md/g)) report(match.index, match[0], 'names a document outside the repository (docs/freshchat-api.md is in it)');
    }
    for (const ref of referencesIn(chunk.text, file)) {
      const why = unresolved(root, file, ref.target);
      if (why) report(ref.index, ref.target, why);
    }
  }
  return problems;
}

interface Reference {
  index: number;
  target: string;
}

const ROOTS = '(?:src|test|bench|scripts|docs|schema|examples|\\.ci)';
/** A path from the repository root (a top folder, then anything, maybe an anchor), or relative to the file. */
const REPO_PATH = new RegExp(`(?<![\\w@./-])((?:\\.\\.?/)*${ROOTS}/[\\w./-]*(?:#[\\w-]+)?)(?![\\w<*{])`, 'g');
/** A path inside the source or test tree, written without its top folder. */
const SHORT_PATH = /(?<![\w@./-])([a-z][\w-]*\/[\w./-]*\.(?:ts|md|graphql))(?![\w<*{])/g;
/** A module or page named alone, maybe with an anchor. */
const BARE_FILE = /(?<![\w@./<-])([a-z][\w-]*\.(?:ts|md)(?:#[\w-]+)?)(?![\w/<*{])/g;
/** `[text](target)` in Markdown. */
const MD_LINK = /\]\(([^)\s]+)\)/g;
/** A README section by its heading, quoted after the word README. */
const README_SECTION = /README(?:'s)?(?: section)? "([^"]+)"/g;

function referencesIn(text: string, file: string): Reference[] {
  const refs: Reference[] = [];
  const taken = new Set<number>();
  const add = (index: number, target: string) => {
    if (taken.has(index)) return;
    for (let i = index; i < index + target.length; i++) taken.add(i);
    refs.push({ index, target: target.replace(/[.,;:]+$/, '') });
  };
  if (extname(file) === '.md') {
    for (const m of text.matchAll(MD_LINK)) {
      const target = m[1]!;
      if (!/^[a-z]+:/i.test(target)) add(m.index + 2, `link:${target}`);
    }
  }
  for (const m of text.matchAll(README_SECTION)) add(m.index, `readme:${m[1]!}`);
  for (const m of text.matchAll(REPO_PATH)) add(m.index, m[1]!);
  for (const m of text.matchAll(SHORT_PATH)) if (!taken.has(m.index)) add(m.index, `short:${m[1]!}`);
  for (const m of text.matchAll(BARE_FILE)) if (!taken.has(m.index)) add(m.index, `bare:${m[1]!}`);
  return refs;
}

/** Why `target` cannot be followed from `file`, or undefined when it can. */
function unresolved(root: string, file: string, target: string): string | undefined {
  if (target.startsWith('readme:')) {
    const heading = target.slice('readme:'.length);
    return headingsOf(join(root, 'README.md')).has(slug(heading)) ? undefined : `README has no section "${heading}"`;
  }
  if (target.startsWith('link:')) {
    const [path = '', anchor] = target.slice('link:'.length).split('#');
    const resolved = path === '' ? join(root, file) : resolve(root, dirname(file), decodeURI(path));
    return checkTarget(root, [resolved], anchor);
  }
  if (target.startsWith('short:')) {
    const path = target.slice('short:'.length);
    const [dir] = path.split('/');
    // Only a first segment that is a folder of the source or test tree makes it a repo path.
    if (!['src', 'test'].some((top) => existsSync(join(root, top, dir!)))) return undefined;
    return checkTarget(root, ['src', 'test', dirname(file)].map((base) => join(root, base, path)), undefined);
  }
  if (target.startsWith('bare:')) {
    const [name = '', anchor] = target.slice('bare:'.length).split('#');
    const candidates = [join(root, dirname(file), name), join(root, 'docs', name), join(root, name), ...findByName(root, name)];
    return checkTarget(root, candidates, anchor);
  }
  const [path = '', anchor] = target.split('#');
  if (/^(bench\/report|artifacts)\//.test(path)) return undefined; // generated output
  const base = /^\.\.?\//.test(path) ? dirname(file) : '.';
  return checkTarget(root, [resolve(root, base, path)], anchor);
}

function checkTarget(root: string, candidates: string[], anchor: string | undefined): string | undefined {
  const found = candidates.map(withSourceExtension).find((path) => path !== undefined);
  if (found === undefined) return `no such file in the repository: ${relative(root, candidates[0]!)}`;
  if (anchor === undefined || anchor === '') return undefined;
  if (extname(found) !== '.md') return undefined;
  return headingsOf(found).has(anchor) ? undefined : `${relative(root, found)} has no heading #${anchor}`;
}

/** An import specifier names the `.js` that `tsc` builds from a `.ts`. */
function withSourceExtension(path: string): string | undefined {
  if (existsSync(path)) return path;
  if (path.endsWith('.js') && existsSync(`${path.slice(0, -3)}.ts`)) return `${path.slice(0, -3)}.ts`;
  return undefined;
}

let index: Map<string, string[]> | undefined;
function findByName(root: string, name: string): string[] {
  if (!index) {
    index = new Map();
    for (const file of ['src', 'test', 'bench', 'scripts'].flatMap((top) => filesUnder(root, top))) {
      const key = basename(file);
      index.set(key, [...(index.get(key) ?? []), join(root, file)]);
    }
  }
  return index.get(name) ?? [];
}

const headings = new Map<string, Set<string>>();
/** GitHub's anchors of a Markdown file's headings (fenced code is not a heading). */
export function headingsOf(path: string): Set<string> {
  let found = headings.get(path);
  if (!found) {
    found = new Set();
    const seen = new Map<string, number>();
    let fenced = false;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (/^\s*```/.test(line)) fenced = !fenced;
      const heading = !fenced && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
      if (!heading) continue;
      const base = slug(heading[1]!);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      found.add(count === 0 ? base : `${base}-${count}`);
    }
    headings.set(path, found);
  }
  return found;
}

/** GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/**
 * The comments of a code file, by TypeScript's scanner (a parse would be ten times slower). The
 * scanner needs two hints a parser would give: whether a `/` starts a regular expression (it does
 * where an expression may start), and whether a `}` closes a template literal's substitution.
 */
function commentsOf(file: string, text: string): { start: number; text: string }[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  const comments: { start: number; text: string }[] = [];
  const braces: ('block' | 'template')[] = [];
  let previous: ts.SyntaxKind = ts.SyntaxKind.Unknown;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia) {
      comments.push({ start: scanner.getTokenStart(), text: scanner.getTokenText() });
      continue;
    }
    if (token === ts.SyntaxKind.WhitespaceTrivia || token === ts.SyntaxKind.NewLineTrivia) continue;
    if ((token === ts.SyntaxKind.SlashToken || token === ts.SyntaxKind.SlashEqualsToken) && startsExpression(previous)) {
      token = scanner.reScanSlashToken();
    } else if (token === ts.SyntaxKind.OpenBraceToken) {
      braces.push('block');
    } else if (token === ts.SyntaxKind.TemplateHead) {
      braces.push('template');
    } else if (token === ts.SyntaxKind.CloseBraceToken) {
      if (braces.pop() === 'template') {
        token = scanner.reScanTemplateToken(false);
        if (token === ts.SyntaxKind.TemplateMiddle) braces.push('template');
      }
    }
    previous = token;
  }
  return comments;
}

/** After these, a `/` is a division; anywhere else it starts a regular expression. */
const ENDS_OPERAND: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.PlusPlusToken,
  ts.SyntaxKind.MinusMinusToken,
  ts.SyntaxKind.ThisKeyword,
  ts.SyntaxKind.SuperKeyword,
  ts.SyntaxKind.TrueKeyword,
  ts.SyntaxKind.FalseKeyword,
  ts.SyntaxKind.NullKeyword,
  ts.SyntaxKind.UndefinedKeyword,
]);

function startsExpression(previous: ts.SyntaxKind): boolean {
  return !ENDS_OPERAND.has(previous);
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}
