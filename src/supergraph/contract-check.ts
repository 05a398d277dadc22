import { basename } from 'node:path';
import { GraphQLError, Kind, Source, getLocation, parse, type DocumentNode } from 'graphql';
import { contractVersion, nodeEntityTypenames, readContractSdl } from '../contract/index.js';
import { nodeRouterTypeDefs } from '../node-router/schema.js';
import { freshchatNodeTypenames, freshchatTypeDefs } from '../type-defs.js';
import { CompositionError, composeSupergraph } from './compose.js';
import { contractTypeDrift, implementationDrift, type Drift } from './contract-drift.js';
import { DEFAULT_URLS, SUBGRAPH } from './subgraphs.js';

/** One file of the SDL under check; several files make one subgraph (e.g. the contract, then a layer). */
export interface SdlFile {
  path: string;
  body: string;
}

export interface ContractCheck {
  conforms: boolean;
  /** One line per problem (`file:line: what`), or the one line that says it conforms. */
  lines: string[];
}

/**
 * `npm run contract:check`: does another helpdesk subgraph's SDL keep the contract? Its copy of every
 * contract type must be the contract's, its concrete types must implement the contract interfaces,
 * and it must compose beside this Freshchat subgraph and the node-router, as in a real supergraph.
 */
export function checkContract(files: readonly SdlFile[]): ContractCheck {
  const label = files.map((file) => file.path).join(' + ');
  let theirs: DocumentNode;
  try {
    theirs = { kind: Kind.DOCUMENT, definitions: files.flatMap((file) => parse(new Source(file.body, file.path)).definitions) };
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const [where] = error.locations ?? [];
    return { conforms: false, lines: [`${error.source?.name ?? label}${where ? `:${where.line}:${where.column}` : ''}: ${error.message}`] };
  }
  const contract = parse(readContractSdl());
  const drift = [...contractTypeDrift(contract, theirs), ...implementationDrift(contract, theirs)];
  const composition = compositionProblems(theirs, files.at(-1)?.path ?? 'subgraph', drift);
  const lines = [...drift, ...composition].map((problem) => toLine(problem, label));
  return lines.length > 0 ? { conforms: false, lines } : { conforms: true, lines: [`${label} conforms to helpdesk contract v${contractVersion()}`] };
}

function toLine({ message, node }: Drift, label: string): string {
  // A definition's or field's own line is its name's, not its description's above it.
  const loc = (node && 'name' in node && node.name?.loc) || node?.loc;
  return loc ? `${loc.source.name}:${getLocation(loc.source, loc.start).line}: ${message}` : `${label}: ${message}`;
}

/**
 * Composition errors, one line each, but for those about a type a drift line already names: a
 * missing interface field, say, is also an invalid-GraphQL error, and one problem gets one line.
 */
function compositionProblems(theirs: DocumentNode, path: string, drift: readonly Drift[]): Drift[] {
  const name = subgraphName(path);
  const entityTypes = [...new Set([...freshchatNodeTypenames(), ...nodeEntityTypenames(theirs)])];
  try {
    composeSupergraph([
      { name, url: `http://${name}.invalid/graphql`, typeDefs: theirs },
      { name: SUBGRAPH.freshchat, url: DEFAULT_URLS.freshchat, typeDefs: freshchatTypeDefs() },
      { name: SUBGRAPH.nodeRouter, url: DEFAULT_URLS.nodeRouter, typeDefs: nodeRouterTypeDefs(entityTypes) },
    ]);
    return [];
  } catch (error) {
    if (!(error instanceof CompositionError)) throw error;
    const explained = new Set(drift.flatMap((d) => d.types));
    const mentions = (message: string) => (message.match(/\w+/g) ?? []).some((word) => explained.has(word));
    // Composition may point into Freshchat's SDL as well: only a place in theirs is of use to them.
    const sources = new Set(theirs.definitions.map((d) => d.loc?.source.name));
    return byCodeAndType(error.errors.filter((e) => !mentions(e.message))).map(([first, more]) => ({
      message: `composition beside Freshchat failed: [${String(first.extensions.code)}] ${first.message.replace(/\s*\n\s*/g, ' ')}${more.length > 0 ? ` (and ${more.length} more like it)` : ''}`,
      node: first.nodes?.find((node) => sources.has(node.loc?.source.name)),
      types: [],
    }));
  }
}

/** Composition reports a type that collides once per field: one line per code and type is enough. */
function byCodeAndType(errors: readonly GraphQLError[]): [GraphQLError, GraphQLError[]][] {
  const groups = new Map<string, [GraphQLError, GraphQLError[]]>();
  for (const error of errors) {
    const type = /"(\w+)[."]/.exec(error.message)?.[1] ?? error.message;
    const key = `${String(error.extensions.code)} ${type}`;
    const group = groups.get(key);
    if (group) group[1].push(error);
    else groups.set(key, [error, []]);
  }
  return [...groups.values()];
}

/**
 * Their subgraph's name in composition messages: the (last) file's name, which for a contract + layer
 * pair is the layer's, apart from the two names it sits beside.
 */
function subgraphName(path: string): string {
  const name = basename(path).replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'subgraph';
  return name === SUBGRAPH.freshchat || name === SUBGRAPH.nodeRouter ? `their-${name}` : name;
}
