import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../src/supergraph/compose.js';
import { DEFAULT_URLS, helpdeskSubgraphs } from '../../src/supergraph/subgraphs.js';

/**
 * examples/relay holds Relay operations as a frontend writes them: a usePaginationFragment-shaped root
 * connection (`@connection` + `@refetchable` on Query) and a `@refetchable` fragment on a Freshchat type
 * with a nested connection, whose refetch query needs the node-router's `Query.node`. The compiler checks
 * them against the composed API schema.
 */
const RELAY = createRequire(import.meta.url)('relay-compiler') as string | null;
const EXAMPLES = fileURLToPath(new URL('../../examples/relay', import.meta.url));

const workspaces: string[] = [];
afterEach(() => {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The examples in a scratch directory, their config pointed at an API schema composed from `subgraphs`. */
function workspace(subgraphs = helpdeskSubgraphs(DEFAULT_URLS)): string {
  const dir = mkdtempSync(join(tmpdir(), 'relay-examples-'));
  workspaces.push(dir);
  cpSync(EXAMPLES, dir, { recursive: true, filter: (path) => !path.includes('__generated__') });
  writeFileSync(join(dir, 'api-schema.graphql'), composeSupergraph(subgraphs).apiSchemaSdl);
  const config = JSON.parse(readFileSync(join(dir, 'relay.config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'relay.config.json'), JSON.stringify({ ...config, schema: './api-schema.graphql' }));
  return dir;
}

function relay(dir: string, ...args: string[]): { status: number | null; output: string } {
  const run = spawnSync(RELAY!, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe.skipIf(RELAY === null)('relay-compiler over the composed API schema', () => {
  it('compiles the example operations, then --validate finds nothing pending', () => {
    const dir = workspace();
    const compiled = relay(dir);
    expect(compiled.output).toContain('compiled documents');
    expect(compiled.status).toBe(0);
    const validated = relay(dir, '--validate');
    expect(validated.status, validated.output).toBe(0);
    const pagination = readFileSync(join(dir, 'src/__generated__/GroupMembersPaginationQuery.graphql.ts'), 'utf8');
    expect(pagination).toContain('node(id: $id)');
  });

  it('fails --validate on an operation the schema cannot answer', () => {
    const dir = workspace();
    writeFileSync(
      join(dir, 'src/Broken.ts'),
      "import { graphql } from 'graphql';\nexport const q = graphql`query BrokenQuery { freshchat { users { nodes { routingType } } } }`;\n",
    );
    const validated = relay(dir, '--validate');
    expect(validated.status).not.toBe(0);
    expect(validated.output).toContain('routingType');
  });

  it('fails without the node-router: a @refetchable fragment on FreshchatGroup needs Query.node', () => {
    const dir = workspace(helpdeskSubgraphs(DEFAULT_URLS).filter((subgraph) => subgraph.name !== 'node-router'));
    // The page query selects `node` itself; without it, the error left is the fragment's own.
    rmSync(join(dir, 'src/GroupPage.ts'));
    const validated = relay(dir, '--validate');
    expect(validated.status).not.toBe(0);
    expect(validated.output).toContain("Invalid use of @refetchable on fragment 'GroupMembers_group'");
  });
});
