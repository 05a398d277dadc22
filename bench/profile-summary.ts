/** Top self-time functions of a `.cpuprofile` (V8 format): `tsx bench/profile-summary.ts FILE [N]`. */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export function summarise(profile: Profile, top = 25): { name: string; selfMs: number; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*\/(node_modules\/)?/, (m) => (m.includes('node_modules') ? 'nm:' : '')).slice(-60);
    const key = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ name, selfMs: Math.round(ms), share: Math.round((1000 * ms) / total) / 10 }));
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const [file, n] = process.argv.slice(2);
  console.table(summarise(JSON.parse(readFileSync(file!, 'utf8')) as Profile, Number(n ?? 25)));
}

/** Inclusive time of the project's own functions (src/), each counted once per sample. */
export function inclusiveOwn(profile: Profile & { nodes: (ProfileNode & { children?: number[] })[] }, top = 25): { name: string; totalMs: number }[] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const total = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const { functionName, url, lineNumber } = byId.get(cur)!.callFrame;
      if (!url.includes('/src/')) continue;
      const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/src\//, 'src/')}:${lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + dt);
    }
  });
  return [...total.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => ({ name, totalMs: Math.round(ms) }));
}

if (process.argv[1]?.endsWith('profile-summary.ts') && process.argv[4] === 'own') {
  console.table(inclusiveOwn(JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Profile, 40));
}
