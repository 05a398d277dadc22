import { isAbstractType, type GraphQLCompositeType, type GraphQLSchema } from 'graphql';

/** Coerced argument values of one field. */
export type Args = Record<string, unknown>;

/**
 * Reads charged once per `freshchat` field however many fields need them: the groups, roles and
 * channels catalogs, the agent walk, and the by-id joins that DataLoader batches and deduplicates (a thread's
 * authors, its tickets' contacts and assignees: a handful of distinct ids however many comments).
 */
export type Catalog = 'groups' | 'roles' | 'channels' | 'agents' | 'contacts' | 'tickets';

/** How many objects a field returns per parent, by concrete type when the field knows it. */
export interface Instances {
  total: number;
  byType?: ReadonlyMap<string, number>;
}

/** A field's own upstream demand, per parent object. */
export interface FieldDemand {
  calls?: number;
  catalogs?: readonly Catalog[];
  /** The objects it returns per parent, when they are not one of its declared type. */
  children?: Instances;
}

/** What one field costs upstream under its arguments and UPSTREAM_PAGE_SIZE. */
export type FieldRule = (args: Args, pageSize: number) => FieldDemand;

/**
 * What a part of an operation adds up to: its cost under the `@listSize` model, its upstream calls,
 * and the catalogs it reads (keyed by the `freshchat` field they are read under, each counted once).
 */
export interface Figures {
  cost: number;
  calls: number;
  catalogs: Set<string>;
}

export const noFigures = (): Figures => ({ cost: 0, calls: 0, catalogs: new Set() });

/** Adds `more` into `into`: cost and calls sum, catalogs unite. */
export function addFigures(into: Figures, more: Figures): Figures {
  into.cost += more.cost;
  into.calls += more.calls;
  for (const key of more.catalogs) into.catalogs.add(key);
  return into;
}

/** `instances` objects, each returning `factor` of its own. */
export function scale(instances: Instances, factor: number): Instances {
  if (factor === 1) return instances;
  const byType = instances.byType && new Map([...instances.byType].map(([name, n]) => [name, n * factor]));
  return byType ? { total: instances.total * factor, byType } : { total: instances.total * factor };
}

/** The objects a fragment on `type` applies to. */
export function narrow(schema: GraphQLSchema, instances: Instances, type: GraphQLCompositeType): Instances {
  if (!instances.byType) return instances;
  const names = isAbstractType(type) ? schema.getPossibleTypes(type).map((t) => t.name) : [type.name];
  const byType = new Map([...instances.byType].filter(([name]) => names.includes(name)));
  return { total: [...byType.values()].reduce((a, b) => a + b, 0), byType };
}
