import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeArtifacts } from '../../src/supergraph/artifacts.js';

describe('npm run sdl', () => {
  const dir = mkdtempSync(join(tmpdir(), 'artifacts-'));
  let written: string[];
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  beforeAll(async () => {
    written = await writeArtifacts(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the subgraph SDL, the supergraph, the API schema and possibleTypes', () => {
    expect(written.map((file) => basename(file))).toEqual([
      'freshchat.subgraph.graphql',
      'node-router.subgraph.graphql',
      'supergraph.graphql',
      'api-schema.graphql',
      'possible-types.json',
    ]);
  });

  it('prints the Freshchat subgraph SDL with its federation link and keys', () => {
    const sdl = read('freshchat.subgraph.graphql');
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.14"');
    expect(sdl).toMatch(/type FreshchatTicketingUser implements Node & HelpdeskTicketingUser\s+@key\(fields: "id"\)/);
  });

  it('writes a supergraph the gateway and query planner accept, with each subgraph at its default URL', () => {
    const supergraph = Supergraph.build(read('supergraph.graphql'));
    expect(supergraph.subgraphsMetadata()).toEqual([
      { name: 'exampledesk', url: 'http://localhost:4003/graphql' },
      { name: 'freshchat', url: 'http://localhost:4001/graphql' },
      { name: 'node-router', url: 'http://localhost:4002/graphql' },
    ]);
  });

  it('writes the API schema clients see: both namespaces and the node-router root fields, no federation internals', () => {
    const api = read('api-schema.graphql');
    expect(api).toMatch(/type Query \{[\s\S]*freshchat\(accountId: ID\): FreshchatQuery\n[\s\S]*node\(id: ID!\): Node/);
    expect(api).toContain('exampleDesk: ExampleDeskQuery\n');
    expect(api).not.toMatch(/_entities|_service|join__|@link/);
  });

  it('writes possibleTypes for every contract interface', () => {
    const possibleTypes = JSON.parse(read('possible-types.json')) as Record<string, string[]>;
    expect(Object.keys(possibleTypes)).toEqual(['HelpdeskComment', 'HelpdeskGroup', 'HelpdeskRole', 'HelpdeskTicket', 'HelpdeskTicketingUser', 'HelpdeskUser', 'Node']);
    expect(possibleTypes.HelpdeskGroup).toEqual(['ExampleDeskGroup', 'FreshchatGroup']);
    expect(possibleTypes.HelpdeskTicket).toEqual(['ExampleDeskTicket', 'FreshchatTicket']);
    expect(possibleTypes.HelpdeskComment).toEqual(['ExampleDeskComment', 'FreshchatComment']);
  });
});
