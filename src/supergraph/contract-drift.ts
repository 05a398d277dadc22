import {
  Kind,
  print,
  type ASTNode,
  type DefinitionNode,
  type DocumentNode,
  type EnumTypeDefinitionNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type InterfaceTypeDefinitionNode,
  type ObjectTypeDefinitionNode,
  type TypeNode,
} from 'graphql';

/**
 * How a helpdesk subgraph's SDL departs from the contract, read off the two documents alone (no
 * schema is built, so a half-migrated SDL still gets every finding). Composition catches most drift
 * too, but not all: it merges `String` with `String!`, and it cannot see a contract type a subgraph
 * left out while another subgraph still provides it.
 */
export interface Drift {
  message: string;
  /** Where in their SDL, when the problem has a place there. */
  node?: ASTNode;
  /** The types the problem is about: composition errors about them say the same thing again. */
  types: string[];
}

type NamedDefinition = Extract<DefinitionNode, { name: { value: string } }>;
type FieldsDefinition = ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode;

const KIND: Partial<Record<Kind, string>> = {
  [Kind.OBJECT_TYPE_DEFINITION]: 'an object type',
  [Kind.INTERFACE_TYPE_DEFINITION]: 'an interface',
  [Kind.ENUM_TYPE_DEFINITION]: 'an enum',
  [Kind.SCALAR_TYPE_DEFINITION]: 'a scalar',
  [Kind.UNION_TYPE_DEFINITION]: 'a union',
  [Kind.INPUT_OBJECT_TYPE_DEFINITION]: 'an input type',
};

function definitions(document: DocumentNode): Map<string, NamedDefinition> {
  const named = document.definitions.filter((d): d is NamedDefinition => 'name' in d && d.name !== undefined && KIND[d.kind] !== undefined);
  return new Map(named.map((d) => [d.name.value, d]));
}

const hasFields = (d: NamedDefinition): d is FieldsDefinition => d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION;
const argument = (a: InputValueDefinitionNode) => `${a.name.value}: ${print(a.type)}${a.defaultValue ? ` = ${print(a.defaultValue)}` : ''}`;
const signature = (f: FieldDefinitionNode) => `(${(f.arguments ?? []).map(argument).join(', ')})`;
const declaration = (f: FieldDefinitionNode) => `${f.name.value}${f.arguments?.length ? signature(f) : ''}: ${print(f.type)}`;
const directives = (d: { directives?: readonly ASTNode[] | undefined }) => (d.directives ?? []).map((x) => print(x)).join(' ') || 'no directive';
const interfaces = (d: FieldsDefinition) => (d.interfaces ?? []).map((i) => i.name.value);

/** Every way their copy of each contract type differs from the contract's, missing types included. */
export function contractTypeDrift(contract: DocumentNode, theirs: DocumentNode): Drift[] {
  const own = definitions(theirs);
  const expectedTypes = [...definitions(contract).values()];
  if (!expectedTypes.some(({ name }) => own.has(name.value) || own.has(name.value.replace(/^Helpdesk/, '')))) {
    return [{ message: 'has none of the contract types; include the contract SDL (schema/contract.graphql) unchanged', types: expectedTypes.map((d) => d.name.value) }];
  }
  return expectedTypes.flatMap((expected): Drift[] => {
    const name = expected.name.value;
    const actual = own.get(name);
    if (!actual) return [missingType(name, own)];
    if (actual.kind !== expected.kind) return [{ message: `${name} is ${KIND[actual.kind]} here, ${KIND[expected.kind]} in the contract`, node: actual, types: [name] }];
    const drift: Drift[] = [];
    if (directives(actual) !== directives(expected)) drift.push({ message: `${name} has ${directives(actual)}; the contract has ${directives(expected)}`, node: actual, types: [name] });
    if (hasFields(actual) && hasFields(expected)) drift.push(...fieldDrift(expected, actual));
    if (actual.kind === Kind.ENUM_TYPE_DEFINITION && expected.kind === Kind.ENUM_TYPE_DEFINITION) drift.push(...enumDrift(expected, actual));
    return drift;
  });
}

function missingType(name: string, own: Map<string, NamedDefinition>): Drift {
  // A peer still on v3 has the type under its old name: say so rather than only "missing".
  const v3 = own.get(name.replace(/^Helpdesk/, ''));
  if (name.startsWith('Helpdesk') && v3) {
    return { message: `${v3.name.value} is contract v3's name; v4 calls it ${name} (rename it and every reference to it)`, node: v3, types: [name, v3.name.value] };
  }
  return { message: `${name} is missing; copy it from the contract unchanged`, types: [name] };
}

function fieldDrift(expected: FieldsDefinition, actual: FieldsDefinition): Drift[] {
  const type = expected.name.value;
  const drift: Drift[] = [];
  if (interfaces(actual).join() !== interfaces(expected).join()) {
    const list = (d: FieldsDefinition) => interfaces(d).join(' & ') || 'nothing';
    drift.push({ message: `${type} implements ${list(actual)}; the contract has ${list(expected)}`, node: actual, types: [type] });
  }
  const theirs = new Map((actual.fields ?? []).map((f) => [f.name.value, f]));
  for (const field of expected.fields ?? []) {
    const own = theirs.get(field.name.value);
    const at = `${type}.${field.name.value}`;
    if (!own) drift.push({ message: `${at} is missing; the contract has ${declaration(field)}`, node: actual, types: [type] });
    else if (print(own.type) !== print(field.type)) drift.push({ message: `${at} is ${print(own.type)}; the contract has ${print(field.type)}`, node: own, types: [type] });
    else if (signature(own) !== signature(field)) drift.push({ message: `${at} takes ${signature(own)}; the contract has ${signature(field)}`, node: own, types: [type] });
    else if (directives(own) !== directives(field)) drift.push({ message: `${at} has ${directives(own)}; the contract has ${directives(field)}`, node: own, types: [type] });
  }
  const known = new Set((expected.fields ?? []).map((f) => f.name.value));
  for (const own of actual.fields ?? []) {
    if (!known.has(own.name.value)) drift.push({ message: `${type}.${own.name.value} is not in the contract; put it on your own types`, node: own, types: [type] });
  }
  return drift;
}

function enumDrift(expected: EnumTypeDefinitionNode, actual: EnumTypeDefinitionNode): Drift[] {
  const type = expected.name.value;
  const values = (d: EnumTypeDefinitionNode) => (d.values ?? []).map((v) => v.name.value);
  const theirs = values(actual);
  const ours = values(expected);
  return [
    ...ours.filter((v) => !theirs.includes(v)).map((v) => ({ message: `${type}.${v} is missing; the contract has it`, node: actual, types: [type] })),
    ...theirs.filter((v) => !ours.includes(v)).map((v) => ({ message: `${type}.${v} is not in the contract`, node: actual, types: [type] })),
  ];
}

/**
 * Every way their concrete types fall short of the contract interfaces they implement: a missing
 * field, a type or arguments the interface does not allow, `Node` not declared, no `@key` by id.
 */
export function implementationDrift(contract: DocumentNode, theirs: DocumentNode): Drift[] {
  const contractTypes = definitions(contract);
  const contractInterfaces = new Map(
    [...contractTypes.values()].filter((d): d is InterfaceTypeDefinitionNode => d.kind === Kind.INTERFACE_TYPE_DEFINITION).map((d) => [d.name.value, d]),
  );
  const own = definitions(theirs);
  // Their copies of contract types are compared as such (contractTypeDrift), not as implementations.
  const objects = [...own.values()].filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && !contractTypes.has(d.name.value));
  return objects.flatMap((object) => {
    const implemented = interfaces(object).flatMap((name) => contractInterfaces.get(name) ?? []);
    if (implemented.length === 0) return [];
    const drift: Drift[] = [];
    const type = object.name.value;
    for (const required of new Set(implemented.flatMap(interfaces))) {
      if (!interfaces(object).includes(required)) drift.push({ message: `${type} must also implement ${required}, as ${implemented.map((i) => i.name.value).join(' & ')} does`, node: object, types: [type] });
    }
    if (!(object.directives ?? []).some((d) => d.name.value === 'key' && print(d).includes('fields: "id"'))) {
      drift.push({ message: `${type} has no @key(fields: "id"): node(id:) and other subgraphs cannot reach it`, node: object, types: [type] });
    }
    for (const contractInterface of implemented) drift.push(...implementsFields(object, contractInterface, own));
    return drift;
  });
}

function implementsFields(object: ObjectTypeDefinitionNode, contractInterface: InterfaceTypeDefinitionNode, own: Map<string, NamedDefinition>): Drift[] {
  const type = object.name.value;
  const owner = contractInterface.name.value;
  const fields = new Map((object.fields ?? []).map((f) => [f.name.value, f]));
  return (contractInterface.fields ?? []).flatMap((required): Drift[] => {
    const field = fields.get(required.name.value);
    const at = `${type}.${required.name.value}`;
    if (!field) return [{ message: `${at} is missing; ${owner} requires ${declaration(required)}`, node: object, types: [type] }];
    if (!isSubtype(field.type, required.type, own)) return [{ message: `${at} is ${print(field.type)}; ${owner} requires ${print(required.type)}`, node: field, types: [type] }];
    if (!acceptsArguments(field, required)) return [{ message: `${at} takes ${signature(field)}; ${owner} requires ${signature(required)}`, node: field, types: [type] }];
    return [];
  });
}

/** GraphQL's rule: every interface argument with the same type; extra arguments optional. */
function acceptsArguments(field: FieldDefinitionNode, required: FieldDefinitionNode): boolean {
  const theirs = new Map((field.arguments ?? []).map((a) => [a.name.value, a]));
  const ours = new Set((required.arguments ?? []).map((a) => a.name.value));
  const same = (required.arguments ?? []).every((a) => theirs.get(a.name.value) !== undefined && print(theirs.get(a.name.value)!.type) === print(a.type));
  return same && [...theirs.values()].every((a) => ours.has(a.name.value) || a.type.kind !== Kind.NON_NULL_TYPE || a.defaultValue !== undefined);
}

/** GraphQL's covariance: the same type, stricter nullability, or a type implementing the interface. */
function isSubtype(actual: TypeNode, expected: TypeNode, own: Map<string, NamedDefinition>): boolean {
  if (expected.kind === Kind.NON_NULL_TYPE) return actual.kind === Kind.NON_NULL_TYPE && isSubtype(actual.type, expected.type, own);
  if (actual.kind === Kind.NON_NULL_TYPE) return isSubtype(actual.type, expected, own);
  if (expected.kind === Kind.LIST_TYPE) return actual.kind === Kind.LIST_TYPE && isSubtype(actual.type, expected.type, own);
  if (actual.kind !== Kind.NAMED_TYPE || expected.kind !== Kind.NAMED_TYPE) return false;
  if (actual.name.value === expected.name.value) return true;
  const definition = own.get(actual.name.value);
  return definition !== undefined && hasFields(definition) && interfaces(definition).includes(expected.name.value);
}
