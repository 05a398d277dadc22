import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * Whether an operation may run without a caller token: a query that selects only `_service` (and
 * `__typename`), which composition tools fetch without credentials (docs/design.md#caller-authentication). Fragments count as
 * what they select, so a spread cannot smuggle a field past the check.
 */
export function isServiceOnly(document: DocumentNode, operationName?: string | null): boolean {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation || operation.operation !== 'query') return false;
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])),
  );
  return selectsOnly(operation.selectionSet, fragments, new Set());
}

function selectsOnly(set: SelectionSetNode, fragments: Map<string, SelectionSetNode>, seen: Set<string>): boolean {
  return set.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value === '_service' || selection.name.value === '__typename';
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsOnly(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    const fragment = fragments.get(name);
    if (!fragment || seen.has(name)) return fragment !== undefined;
    return selectsOnly(fragment, fragments, new Set([...seen, name]));
  });
}
