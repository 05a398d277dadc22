import { Kind, parse, visit, type ASTNode, type DocumentNode } from 'graphql';
import { readContractSdl } from '../../src/contract/index.js';

/** The two write types contract v4 moved from plain names into the Freshchat namespace. */
const V3_WRITE_TYPES: Readonly<Record<string, string>> = { FreshchatUserError: 'UserError', FreshchatWriteStatus: 'WriteStatus' };

/** v4 name → v3 name: every contract type without its `Helpdesk` prefix, plus the write types. */
export function v3Names(): Map<string, string> {
  const contractTypes = parse(readContractSdl()).definitions.flatMap((d) => ('name' in d && d.name ? [d.name.value] : []));
  const renamed = contractTypes.filter((name) => name.startsWith('Helpdesk')).map((name) => [name, name.slice('Helpdesk'.length)] as const);
  return new Map([...renamed, ...Object.entries(V3_WRITE_TYPES)]);
}

const TYPE_DEFINITIONS = new Set<string>([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.ENUM_TYPE_DEFINITION,
  Kind.UNION_TYPE_DEFINITION,
  Kind.SCALAR_TYPE_DEFINITION,
  Kind.INPUT_OBJECT_TYPE_DEFINITION,
  Kind.NAMED_TYPE,
]);

/**
 * The document as contract v3 named it: every definition and every reference of a renamed type gets
 * its v3 name, at its position in the AST (descriptions and field names are left alone).
 */
export function toContractV3(document: DocumentNode, names = v3Names()): DocumentNode {
  return visit(document, {
    enter(node: ASTNode) {
      if (!TYPE_DEFINITIONS.has(node.kind) || !('name' in node) || !node.name) return undefined;
      const v3 = names.get(node.name.value);
      return v3 === undefined ? undefined : { ...node, name: { ...node.name, value: v3 } };
    },
  });
}
