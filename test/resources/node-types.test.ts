import { readFileSync } from 'node:fs';
import { Kind, type ObjectTypeDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { NODE_TYPENAMES } from '../../src/resources/index.js';
import { resolvers } from '../../src/resolvers/index.js';
import { freshchatNodeTypenames, freshchatTypeDefs } from '../../src/type-defs.js';

// The entity types exist in three places that must agree: the SDL (what the node-router and the
// supergraph see), the typed table of src/resources/index.ts (what `node` and `_entities` dispatch
// on) and the resolver map (what answers `_entities`). These tests walk the schema for each.
describe('entity types', () => {
  const sdlTypes = freshchatNodeTypenames();

  it('lists in the typed table exactly the entity types of the SDL', () => {
    expect([...NODE_TYPENAMES].sort()).toEqual([...sdlTypes].sort());
  });

  it.each(sdlTypes)('resolves %s references through __resolveReference', (typename) => {
    expect(resolvers[typename]).toHaveProperty('__resolveReference', expect.any(Function));
  });

  it('counts as an entity every Node object with a @key, and only those', () => {
    const objects = freshchatTypeDefs().definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION);
    const keyed = objects.filter((d) => d.directives?.some((directive) => directive.name.value === 'key')).map((d) => d.name.value);
    expect(keyed.sort()).toEqual([...sdlTypes].sort());
  });
});

describe('README, section "Schema"', () => {
  it('names every entity type of the SDL', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Schema'), readme.indexOf('\n## ', readme.indexOf('\n## Schema') + 1));
    expect(freshchatNodeTypenames().filter((typename) => !section.includes(`\`${typename}\``))).toEqual([]);
  });
});
