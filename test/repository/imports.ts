import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The import graph of src/, read with TypeScript's own pre-processor (so type-only imports count:
 * they tie modules together as much as value imports do). Hand-written rather than a dependency
 * checker's rules because the property held here is about rooms, not files: each top-level folder
 * of src/ (or file at its root) is one room, and rooms must form layers, each importing only rooms
 * below it. A folder-level cycle is exactly an import that climbs back up.
 */
export function importGraph(root: string): Map<string, Set<string>> {
  const src = join(root, 'src');
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(src)) {
    const from = relative(root, file);
    const targets = new Set<string>();
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      targets.add(relative(root, resolve(dirname(file), fileName)).replace(/\.js$/, '.ts'));
    }
    graph.set(from, targets);
  }
  return graph;
}

/** `src/accounts/store.ts` → `src/accounts`; `src/config.ts` → `src/config.ts`. */
export function roomOf(file: string): string {
  const [top, name, ...rest] = file.split('/');
  return rest.length === 0 ? file : `${top}/${name}`;
}

/** The same graph between rooms, without a room's imports of itself. */
export function roomGraph(files: Map<string, Set<string>>): Map<string, Set<string>> {
  const rooms = new Map<string, Set<string>>();
  for (const [from, targets] of files) {
    const edges = rooms.get(roomOf(from)) ?? new Set<string>();
    for (const to of targets) if (roomOf(to) !== roomOf(from)) edges.add(roomOf(to));
    rooms.set(roomOf(from), edges);
  }
  return rooms;
}

/** Every cycle found by a depth-first walk, each as the path that closes it (a → b → a). */
export function cyclesOf(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}
