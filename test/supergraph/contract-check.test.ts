import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { readContractSdl } from '../../src/contract/index.js';
import { checkContract } from '../../src/supergraph/contract-check.js';
import { exampleDeskTypeDefs } from '../../src/supergraph/example-desk/index.js';
import { EXAMPLE_DESK_LAYER } from '../../src/supergraph/example-desk/sdl.js';
import { runToEnd } from '../support/process.js';
import { toContractV3, v3Names } from './contract-v3.js';

const deskSdl = exampleDeskTypeDefs().loc!.source.body;

/** The definition that starts with `head` (the whole SDL when empty): where an edit may apply. */
function block(sdl: string, head: string): { start: number; end: number } {
  if (head === '') return { start: 0, end: sdl.length };
  expect(sdl.split(head).length - 1, `definitions starting ${JSON.stringify(head)}`).toBe(1);
  const start = sdl.indexOf(head);
  return { start, end: sdl.indexOf('\n}\n', start) + 3 };
}

/** Edits the SDL, failing loudly unless the text it edits occurs exactly once in the definition `head`. */
function edit(sdl: string, from: string, to: string, head = ''): string {
  const { start, end } = block(sdl, head);
  const text = sdl.slice(start, end);
  expect(text.split(from).length - 1, `occurrences of ${JSON.stringify(from)} in ${JSON.stringify(head)}`).toBe(1);
  return sdl.slice(0, start) + text.replace(from, to) + sdl.slice(end);
}

/** The 1-based line of `text` in the definition `head`, as the check reports it. */
function lineOf(sdl: string, text: string, head = ''): number {
  return sdl.slice(0, sdl.indexOf(text, block(sdl, head).start)).split('\n').length;
}

/** The 1-based line that defines the type `name`. */
function definitionLine(sdl: string, name: string): number {
  return sdl.split('\n').findIndex((line) => new RegExp(`^(type|interface|enum|scalar) ${name}\\b`).test(line)) + 1;
}

/**
 * A peer half-way through its move to v4: it changed two contract types, each concrete type falls
 * short of its interface in another way, and its own root field still names a v3 type.
 */
function brokenDesk(): string {
  let sdl = deskSdl;
  sdl = edit(sdl, 'type PageInfo @shareable {', 'type PageInfo {');
  sdl = edit(sdl, '  address: String!\n', '  address: ID!\n', 'type HelpdeskEmail ');
  sdl = edit(sdl, '  "URL of the avatar image."\n  avatarUrl: String\n', '', 'type ExampleDeskUser ');
  sdl = edit(sdl, 'members(first: Int, after: String, last: Int, before: String)', 'members(first: Int, after: String)', 'type ExampleDeskGroup ');
  sdl = edit(sdl, 'isActive: Boolean!', 'isActive: Boolean', 'type ExampleDeskTicketingUser ');
  return edit(sdl, 'HelpdeskTicketConnection\n}', 'TicketConnection\n}', 'type ExampleDeskQuery ');
}

describe('checkContract', () => {
  it('finds that the example desk, one file, conforms to contract v4', () => {
    expect(checkContract([{ path: 'desk.graphql', body: deskSdl }])).toEqual({ conforms: true, lines: ['desk.graphql conforms to helpdesk contract v4'] });
  });

  it('reads several files as one subgraph: the contract file, then a layer', () => {
    const files = [{ path: 'schema/contract.graphql', body: readContractSdl() }, { path: 'desk-layer.graphql', body: EXAMPLE_DESK_LAYER }];
    expect(checkContract(files)).toEqual({ conforms: true, lines: ['schema/contract.graphql + desk-layer.graphql conforms to helpdesk contract v4'] });
  });

  it('names each contract type a v3 peer still has under its v3 name', () => {
    const v3 = print(toContractV3(exampleDeskTypeDefs()));
    const { conforms, lines } = checkContract([{ path: 'v3.graphql', body: v3 }]);
    expect(conforms).toBe(false);
    expect(lines).toEqual(
      [...v3Names()].filter(([v4]) => v4.startsWith('Helpdesk')).map(([v4, old]) =>
        `v3.graphql:${definitionLine(v3, old)}: ${old} is contract v3's name; v4 calls it ${v4} (rename it and every reference to it)`),
    );
  });

  it('answers an SDL without the contract in one line', () => {
    expect(checkContract([{ path: 'layer.graphql', body: EXAMPLE_DESK_LAYER }]).lines).toEqual([
      'layer.graphql: has none of the contract types; include the contract SDL (schema/contract.graphql) unchanged',
    ]);
  });

  it('answers a syntax error in one line with its position', () => {
    expect(checkContract([{ path: 'bad.graphql', body: 'type Query {\n  me: \n}' }]).lines).toEqual(['bad.graphql:3:1: Syntax Error: Expected Name, found "}".']);
  });
});

describe('npm run contract:check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'contract-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // tsx and composition take seconds; on a busy machine, tens of them.
  const CLI_TIMEOUT_MS = 90_000;
  const run = (...args: string[]) => runToEnd(process.execPath, ['--import', 'tsx', 'src/supergraph/contract-check-main.ts', ...args]);

  it('prints one line and exits 0 for a conforming SDL', async () => {
    const file = join(dir, 'desk.graphql');
    writeFileSync(file, deskSdl);
    const { status, stdout, stderr } = await run(file);
    expect({ status, stdout, stderr }).toEqual({ status: 0, stdout: `${file} conforms to helpdesk contract v4\n`, stderr: '' });
  }, CLI_TIMEOUT_MS);

  it('prints each problem of a broken SDL on one line and exits 1', async () => {
    const file = join(dir, 'broken.graphql');
    const sdl = brokenDesk();
    writeFileSync(file, sdl);
    const result = await run(file);
    expect(result.status).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      `${file}:${lineOf(sdl, 'address: ID!')}: HelpdeskEmail.address is ID!; the contract has String!`,
      `${file}:${lineOf(sdl, 'type PageInfo {')}: PageInfo has no directive; the contract has @shareable`,
      `${file}:${lineOf(sdl, 'type ExampleDeskUser ')}: ExampleDeskUser.avatarUrl is missing; HelpdeskUser requires avatarUrl: String`,
      `${file}:${lineOf(sdl, 'members(first: Int, after: String)', 'type ExampleDeskGroup ')}: ExampleDeskGroup.members takes (first: Int, after: String); HelpdeskGroup requires (first: Int, after: String, last: Int, before: String)`,
      `${file}:${lineOf(sdl, 'isActive: Boolean\n', 'type ExampleDeskTicketingUser ')}: ExampleDeskTicketingUser.isActive is Boolean; HelpdeskTicketingUser requires Boolean!`,
      `${file}:${lineOf(sdl, ': TicketConnection\n', 'type ExampleDeskQuery ')}: composition beside Freshchat failed: [INVALID_GRAPHQL] [broken] Unknown type TicketConnection`,
      '',
    ]);
    expect(result.stderr).toBe('6 problems: it does not conform to the helpdesk contract\n');
  }, CLI_TIMEOUT_MS);

  it('exits 2 with a usage line when no file is given', async () => {
    const result = await run();
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 2, stderr: 'usage: npm run contract:check -- path/to/their.graphql [more.graphql ...]\n' });
  }, CLI_TIMEOUT_MS);
});
