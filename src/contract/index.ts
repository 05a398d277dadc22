import { existsSync, readFileSync } from 'node:fs';
import { Kind, type DocumentNode, type ObjectTypeDefinitionNode } from 'graphql';

/**
 * The helpdesk contract (docs/design.md#the-helpdesk-contract) as a module that any helpdesk subgraph can copy: the SDL that
 * every helpdesk subgraph includes verbatim, and the global id codec that every one of them mints ids
 * with. Nothing here knows a provider; keep it that way (no imports from src/freshchat/).
 *
 * Global ids: base64url (no padding) of "hd1:<provider>:<typename>:<accountId>:<remoteId>". The
 * typename inside the id is what lets a node-router send `node(id:)` to the owning subgraph.
 */
export { fromGlobalId, toGlobalId, type GlobalId } from '../relay/ids.js';

/** The unified interfaces every provider implements with its own concrete entity types. */
export const CONTRACT_INTERFACES = ['Node', 'HelpdeskUser', 'HelpdeskGroup', 'HelpdeskRole', 'HelpdeskTicketingUser', 'HelpdeskTicket', 'HelpdeskComment'] as const;

// src/ runs from the repo (tsx, vitest) or from dist/src/ (npm start); the SDL stays in schema/.
function schemaDir(): URL {
  const candidates = ['../../schema/', '../../../schema/'].map((path) => new URL(path, import.meta.url));
  return candidates.find((dir) => existsSync(new URL('contract.graphql', dir))) ?? candidates[0]!;
}

/** Where the contract SDL lives: `schema/contract.graphql`. */
export function contractSdlUrl(): URL {
  return new URL('contract.graphql', schemaDir());
}

/** The contract SDL, byte for byte: include it unchanged beside a provider's own layer. */
export function readContractSdl(): string {
  return readFileSync(contractSdlUrl(), 'utf8');
}

/** The contract's version, as its header states it ("# The helpdesk contract, version 4."). */
export function contractVersion(): number {
  const header = /^# The helpdesk contract, version (\d+)\./m.exec(readContractSdl());
  if (!header) throw new Error(`${contractSdlUrl().pathname} does not state its version in its header`);
  return Number(header[1]);
}

/**
 * The concrete `Node` entities a subgraph declares (object types implementing `Node` with a `@key`):
 * the typenames a node-router must know to route `node(id:)` to that subgraph.
 */
export function nodeEntityTypenames(typeDefs: DocumentNode): string[] {
  return typeDefs.definitions
    .filter((def): def is ObjectTypeDefinitionNode => def.kind === Kind.OBJECT_TYPE_DEFINITION)
    .filter((def) => def.interfaces?.some((i) => i.name.value === 'Node') ?? false)
    .filter((def) => def.directives?.some((d) => d.name.value === 'key') ?? false)
    .map((def) => def.name.value);
}
