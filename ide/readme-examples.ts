import { Kind, parse } from 'graphql';

/** One runnable GraphQL example of the README, as the IDE offers it and the tests run it. */
export interface ReadmeExample {
  /** The sentence that introduces it in the README. */
  title: string;
  /** The README section it is in. */
  section: string;
  query: string;
  /** JSON of its variables: the ```json block right after an operation that declares variables. */
  variables?: string;
  /** The answer the README prints for it: the ```json block right after an operation without variables. */
  response?: string;
}

/** Sections whose operations run elsewhere (the supergraph gateway), not against this subgraph. */
const ELSEWHERE = new Set(['In a supergraph']);

/**
 * The README's GraphQL operations in order (SDL and router config are not operations), each titled
 * by the paragraph before it. Shared by the IDE's example picker and the README test, so what the
 * IDE offers is exactly what the tests prove runs as printed.
 */
export function readmeExamples(markdown: string): ReadmeExample[] {
  const examples: ReadmeExample[] = [];
  let section = '';
  // The paragraph being read, and the last one finished (a blank line may separate it from a block).
  let prose: string[] = [];
  let previous: string[] = [];
  // The last operation, waiting for the ```json block right after it (its variables or its answer).
  let awaiting: ReadmeExample | undefined;
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('```')) {
      if (line.startsWith('## ')) section = line.slice(3).trim();
      if (line.startsWith('#') || line.startsWith('|')) [prose, previous] = [[], []];
      else if (line.trim() === '') [prose, previous] = [[], prose.length > 0 ? prose : previous];
      else prose.push(line.trim());
      continue;
    }
    const lang = line.slice(3).trim();
    const end = lines.indexOf('```', i + 1);
    const body = lines.slice(i + 1, end === -1 ? lines.length : end).join('\n').trim();
    i = end === -1 ? lines.length : end;
    const waiting = awaiting;
    awaiting = undefined;
    if (lang === 'json' && waiting) {
      if (declaresVariables(waiting.query)) waiting.variables = body;
      else waiting.response = body;
    }
    if (lang !== 'graphql' || ELSEWHERE.has(section) || !isOperation(body)) continue;
    const example: ReadmeExample = { title: titleOf(prose.length > 0 ? prose : previous, section), section, query: body };
    awaiting = example;
    examples.push(example);
    [prose, previous] = [[], []];
  }
  return examples;
}

const declaresVariables = (query: string): boolean => /^(query|mutation)\s*\w*\s*\(/.test(query);

function isOperation(text: string): boolean {
  try {
    return parse(text).definitions.every((d) => d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION);
  } catch {
    return false;
  }
}

/** The introducing paragraph's text, without Markdown marks, up to its first colon or full stop (outside parentheses). */
function titleOf(prose: readonly string[], section: string): string {
  const text = prose.join(' ').replace(/`|\*\*|\[([^\]]*)\]\([^)]*\)/g, '$1').trim();
  let depth = 0;
  let end = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if ((c === ':' || c === '.') && depth === 0 && (i + 1 === text.length || text[i + 1] === ' ')) {
      end = i;
      break;
    }
  }
  const sentence = text.slice(0, end).trim();
  return sentence === '' ? section : sentence.length > 100 ? `${sentence.slice(0, 97)}...` : sentence;
}
