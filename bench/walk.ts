/**
 * The pre-execution walk (src/hardening/operation-walk.ts) on documents whose fragments spread a
 * fragment twice at every level: execution would expand 2^39 and 2^20 selections, the walk visits
 * each fragment once per sizing. Timed here rather than in the unit tests, whose machine may be busy.
 */
import { getOperationAST, parse, type FragmentDefinitionNode } from 'graphql';
import { walkOperation } from '../src/hardening/operation-walk.js';
import { createSchema } from '../src/schema.js';

export interface WalkResult {
  name: string;
  /** Median of the timed walks, in milliseconds. */
  ms: number;
}

const COST_BOMB = (() => {
  const levels = 40;
  const fragments = Array.from({ length: levels }, (_, i) =>
    i === levels - 1 ? `fragment F${i} on FreshchatGroup { name }` : `fragment F${i} on FreshchatGroup { ...F${i + 1} a: members { nodes { __typename } } ...F${i + 1} }`,
  );
  return `{ freshchat { groups(first: 1) { nodes { ...F0 } } } } ${fragments.join(' ')}`;
})();

const CALLS_BOMB = (() => {
  const levels = Array.from({ length: 20 }, (_, i) => `fragment f${i} on FreshchatQuery { ...f${i + 1} ...f${i + 1} }`).join('\n');
  return `{ freshchat { ...f0 } }\n${levels}\nfragment f20 on FreshchatQuery { user(id: "x") { name } }`;
})();

export function measureWalks(runs = 20): WalkResult[] {
  const schema = createSchema();
  return [
    { name: '40 levels of fragments spread twice (cost)', query: COST_BOMB },
    { name: '20 levels of fragments spread twice (upstream calls)', query: CALLS_BOMB },
  ].map(({ name, query }) => {
    const document = parse(query);
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of document.definitions) if (d.kind === 'FragmentDefinition') fragments[d.name.value] = d;
    const walk = () => walkOperation({ schema, operation: getOperationAST(document)!, fragments, variables: {}, pageSize: 50 });
    const times = Array.from({ length: runs }, () => {
      const started = performance.now();
      walk();
      return performance.now() - started;
    }).sort((a, b) => a - b);
    return { name, ms: times[Math.floor(times.length / 2)]! };
  });
}
