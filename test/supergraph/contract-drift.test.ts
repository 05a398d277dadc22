import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readContractSdl } from '../../src/contract/index.js';
import { contractTypeDrift, implementationDrift } from '../../src/supergraph/contract-drift.js';
import { exampleDeskTypeDefs } from '../../src/supergraph/example-desk/index.js';

const contract = parse(readContractSdl());
const desk = exampleDeskTypeDefs().loc!.source.body;
const messages = (sdl: string) => [...contractTypeDrift(contract, parse(sdl)), ...implementationDrift(contract, parse(sdl))].map((d) => d.message);

/** Edits the example desk once, failing loudly unless the text it edits occurs exactly once. */
function edit(from: string, to: string): string {
  expect(desk.split(from).length - 1, `occurrences of ${JSON.stringify(from)}`).toBe(1);
  return desk.replace(from, to);
}

/** The example desk without the definition that starts with `head` (and its description). */
function withoutDefinition(head: string): string {
  const start = desk.lastIndexOf('\n\n', desk.indexOf(head)) + 2;
  return desk.slice(0, start) + desk.slice(desk.indexOf('\n}\n', start) + 3);
}

describe('contract drift', () => {
  it('finds none in the example desk, which includes the contract unchanged', () => {
    expect(messages(desk)).toEqual([]);
  });

  it.each([
    ['a contract type left out', withoutDefinition('type HelpdeskCustomField '), 'HelpdeskCustomField is missing; copy it from the contract unchanged'],
    ['a contract type of another kind', edit('scalar JSON', 'type JSON { raw: String }'), 'JSON is an object type here, a scalar in the contract'],
    ['a contract enum value left out', edit('  "Waiting on the customer or on another team."\n  WAITING\n', ''), 'HelpdeskTicketStatus.WAITING is missing; the contract has it'],
    ['a contract enum value added', edit('  RESOLVED\n}', '  RESOLVED\n  SPAM\n}'), 'HelpdeskTicketStatus.SPAM is not in the contract'],
    ['a field added to a contract interface', edit('interface HelpdeskRole implements Node {\n', 'interface HelpdeskRole implements Node {\n  level: Int\n'), 'HelpdeskRole.level is not in the contract; put it on your own types'],
    ['a contract interface that no longer implements Node', edit('interface HelpdeskRole implements Node {', 'interface HelpdeskRole {'), 'HelpdeskRole implements nothing; the contract has Node'],
    ['a concrete type that leaves out Node', edit('type ExampleDeskRole implements Node & HelpdeskRole', 'type ExampleDeskRole implements HelpdeskRole'), 'ExampleDeskRole must also implement Node, as HelpdeskRole does'],
    ['a concrete type without a key', edit('type ExampleDeskRole implements Node & HelpdeskRole @key(fields: "id")', 'type ExampleDeskRole implements Node & HelpdeskRole'), 'ExampleDeskRole has no @key(fields: "id"): node(id:) and other subgraphs cannot reach it'],
  ])('reports %s', (_name, sdl, message) => {
    expect(messages(sdl)).toEqual([message]);
  });

  it.each([
    ['the interface\'s own type', edit('  "The agent\'s role."\n  role: ExampleDeskRole\n', '  "The agent\'s role."\n  role: HelpdeskRole\n')],
    ['a type implementing the interface, and non-null', edit('  "The agent\'s role."\n  role: ExampleDeskRole\n', '  "The agent\'s role."\n  role: ExampleDeskRole!\n')],
    ['an extra optional argument', edit('  "The agent\'s role."\n  role: ExampleDeskRole\n', '  "The agent\'s role."\n  role(asOf: DateTime): HelpdeskRole\n')],
  ])('accepts what GraphQL lets an implementation do: %s', (_name, sdl) => {
    expect(messages(sdl)).toEqual([]);
  });

  it('rejects an extra required argument on an implementation', () => {
    const sdl = edit('  "The agent\'s role."\n  role: ExampleDeskRole\n', '  "The agent\'s role."\n  role(asOf: DateTime!): HelpdeskRole\n');
    expect(messages(sdl)).toEqual(['ExampleDeskTicketingUser.role takes (asOf: DateTime!); HelpdeskTicketingUser requires ()']);
  });
});
