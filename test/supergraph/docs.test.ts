import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutStacktraces } from '../support/responses.js';
import { startSupergraphHarness, type SupergraphHarness } from './harness.js';
import { postGraphQL, readUntil } from './support.js';

interface Example {
  operation: string;
  /** The ```json block right after the operation: its exact response. */
  response?: unknown;
}

/** The operations of docs/supergraph.md (```graphql blocks that are operations, not SDL), in order. */
function documentedExamples(): Example[] {
  const markdown = readFileSync(new URL('../../docs/supergraph.md', import.meta.url), 'utf8');
  const blocks = [...markdown.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
  return blocks.flatMap((block, i) => {
    if (block.lang !== 'graphql' || !isOperation(block.text)) return [];
    const next = blocks[i + 1];
    return [{ operation: block.text, response: next?.lang === 'json' ? JSON.parse(next.text) : undefined }];
  });
}

const isOperation = (text: string): boolean =>
  parse(text).definitions.every((d) => d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION);

describe('docs/supergraph.md', () => {
  let h: SupergraphHarness;
  beforeAll(async () => {
    h = await startSupergraphHarness();
  });
  afterAll(() => h.close());

  const examples = documentedExamples();
  it('documents the cross-helpdesk query, node refetch and nodes(ids:) with their responses', () => {
    expect(examples.map((e) => /^query (\w+)/.exec(e.operation)?.[1])).toEqual(['Agents', 'Refetch', 'RefetchMany', 'PartialResults']);
    expect(examples.every((e) => e.response !== undefined)).toBe(true);
    expect(examples[0]!.operation).toContain('fragment Agent on HelpdeskTicketingUser');
  });

  it.each(examples.map((e) => [/^query (\w+)/.exec(e.operation)?.[1], e] as const))('answers %s exactly as printed', async (_name, example) => {
    expect(withoutStacktraces(await h.query(example.operation))).toEqual(example.response);
  });
});

describe('README.md, section "In a supergraph"', () => {
  let h: SupergraphHarness;
  beforeAll(async () => {
    h = await startSupergraphHarness();
  });
  afterAll(() => h.close());

  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## In a supergraph'), readme.indexOf('## Limits, production mode'));
  const operations = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const documented = new Map(documentedExamples().map((e) => [/^query (\w+)/.exec(e.operation)?.[1], e.response]));

  it('shows the cross-helpdesk fragment on HelpdeskTicketingUser and a node(id:) refetch', () => {
    expect(operations.map((op) => /^query (\w+)/.exec(op)?.[1])).toEqual(['Agents', 'Refetch']);
    expect(operations[0]).toContain('fragment Agent on HelpdeskTicketingUser');
  });

  it.each(operations.map((op) => [/^query (\w+)/.exec(op)?.[1], op] as const))('answers %s as printed', async (name, op) => {
    expect(await h.query(op)).toEqual(documented.get(name));
  });
});

describe('npm run supergraph', () => {
  const ENTRY = ['--import', 'tsx', 'src/supergraph/main.ts'];

  it('exits 1 with one line naming SUPERGRAPH_PORT when it is not a port', () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, SUPERGRAPH_PORT: 'http' };
    const run = spawnSync(process.execPath, ENTRY, { env, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining('SUPERGRAPH_PORT')]);
  });

  it('prints the gateway URL and curl commands that work as printed', async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, SUPERGRAPH_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' };
    const child = spawn(process.execPath, ENTRY, { env });
    try {
      const output = await readUntil(child.stdout, /(curl -s \S+ -H 'content-type: application\/json' -d '[^']+'[\s\S]*){2}/);
      const url = /Supergraph gateway ready at (http:\S+)/.exec(output)![1]!;
      const bodies = [...output.matchAll(/-d '([^']+)'/g)].map((m) => JSON.parse(m[1]!) as { query: string; variables?: Record<string, unknown> });
      expect(bodies).toHaveLength(2);
      const agents = await postGraphQL<{ freshchat: unknown; exampleDesk: unknown }>(url, bodies[0]!.query, bodies[0]!.variables);
      expect(agents.errors).toBeUndefined();
      expect(agents.data).toMatchObject({ freshchat: { ticketingUsers: { nodes: expect.any(Array) } }, exampleDesk: expect.any(Object) });
      const refetch = await postGraphQL(url, bodies[1]!.query, bodies[1]!.variables);
      expect(refetch).toEqual({
        data: { node: expect.objectContaining({ __typename: 'ExampleDeskTicketingUser', name: 'Ines Costa', role: { name: 'Administrator' } }) },
      });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
