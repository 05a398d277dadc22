import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cyclesOf, importGraph, roomGraph } from './imports.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const files = importGraph(ROOT);

describe("src/'s imports", () => {
  it('have no cycle between files', () => {
    expect(cyclesOf(files).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('only point down: no cycle between the folders (and root files) of src/', () => {
    expect(cyclesOf(roomGraph(files)).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('resolve to files that exist (the graph above is the real one)', () => {
    const known = new Set(files.keys());
    const dangling = [...files].flatMap(([from, targets]) => [...targets].filter((to) => !known.has(to) && !to.endsWith('.json')).map((to) => `${from} → ${to}`));
    expect(dangling).toEqual([]);
  });
});

describe('cyclesOf', () => {
  it('finds a cycle of two and says how it closes', () => {
    const graph = new Map([['a', new Set(['b'])], ['b', new Set(['a'])]]);
    expect(cyclesOf(graph)).toEqual([['a', 'b', 'a']]);
  });

  it('finds none in a layered graph', () => {
    const graph = new Map([['a', new Set(['b', 'c'])], ['b', new Set(['c'])], ['c', new Set<string>()]]);
    expect(cyclesOf(graph)).toEqual([]);
  });
});

describe('roomGraph', () => {
  it('turns a file-level import that climbs back up into a cycle between folders', () => {
    const graph = new Map([
      ['src/config.ts', new Set(['src/hardening/http-server.ts'])],
      ['src/hardening/http-server.ts', new Set<string>()],
      ['src/hardening/budget.ts', new Set(['src/config.ts'])],
    ]);
    expect(cyclesOf(roomGraph(graph))).toEqual([['src/config.ts', 'src/hardening', 'src/config.ts']]);
  });
});
