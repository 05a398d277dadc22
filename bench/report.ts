/** The Markdown view of a benchmark report. */
import type { PacingResult } from './pacing.js';
import type { PagingResult } from './paging.js';
import type { Variant } from './scenarios.js';

export interface Row {
  scenario: string;
  latencyMs: number;
  variant: Variant;
  /** Upstream calls per query; null for the bare server, which has no upstream. */
  calls: number | null;
  minimalCalls: number;
  p50: number;
  p99: number;
  /** Latency floor (round trips × upstream latency) ÷ p50; null without upstream latency. */
  efficiency: number | null;
  cpuMsPerQuery: number;
  requests: number;
  errors: number;
}

/** A measured figure and the bound it must stay within: at most `max`, or at least `min`. */
export type Target = { name: string; value: number; unit: string } & ({ max: number; min?: never } | { min: number; max?: never });

export const meets = (t: Target): boolean => (t.max !== undefined ? t.value <= t.max : t.value >= t.min);

const bound = (t: Target): string => (t.max !== undefined ? `≤ ${t.max}${t.unit}` : `≥ ${t.min}${t.unit}`);

interface Report {
  gitSha: string;
  dirty: boolean;
  node: string;
  date: string;
  quick: boolean;
  rounds: number;
  secondsPerSample: number;
  rows: Row[];
  peakRssMiB: Record<Variant, number>;
  paging: PagingResult;
  pacing: PacingResult[];
  targets: (Target & { pass: boolean })[];
  durationS: number;
}

const f = (n: number | null, digits = 2) => (n === null || Number.isNaN(n) ? '–' : n.toFixed(digits));

export function renderMarkdown(r: Report): string {
  const lines = [
    `# Benchmark report`,
    '',
    `git ${r.gitSha}${r.dirty ? ' (uncommitted changes)' : ''} · Node ${r.node} · ${r.date} · ${r.quick ? 'quick' : 'full'} run: ${r.rounds} interleaved rounds × ${r.secondsPerSample} s per sample, 1 connection · ${r.durationS.toFixed(0)} s`,
    '',
    '| scenario | upstream latency | variant | upstream calls (minimal) | p50 ms | p99 ms | efficiency | CPU ms/query | requests |',
    '|---|---|---|---|---|---|---|---|---|',
    ...r.rows.map(
      (x) =>
        `| ${x.scenario} | ${x.latencyMs} ms | ${x.variant} | ${x.calls === null ? '– (no upstream)' : `${x.calls} (${x.minimalCalls})`} | ${f(x.p50, 1)} | ${f(x.p99, 1)} | ${f(x.efficiency)} | ${f(x.cpuMsPerQuery)} | ${x.requests}${x.errors ? ` (${x.errors} failed)` : ''} |`,
    ),
    '',
    `Peak RSS (MiB): ${Object.entries(r.peakRssMiB).map(([v, m]) => `${v} ${m.toFixed(0)}`).join(', ')}.`,
    '',
    `Paging ${r.paging.contacts.toLocaleString('en')} contacts with \`first: 100\`: ${r.paging.queries} queries, ${r.paging.upstreamCalls} upstream calls (minimal ${r.paging.minimalCalls}), ${r.paging.seconds.toFixed(1)} s; heap after a forced GC ${f(r.paging.baselineHeapMiB, 1)} → ${f(r.paging.afterHeapMiB, 1)} MiB (retained ${f(r.paging.retainedMiB, 1)} MiB).`,
    '',
    '| pacing under a 100 requests/minute quota | window | answered | refused | upstream calls | fan-out queries answered per minute |',
    '|---|---|---|---|---|---|',
    ...r.pacing.map((p) => `| ${p.setting} | ${p.seconds} s | ${p.answered} | ${p.refused} | ${p.upstreamCalls} | ${p.answeredPerMinute.toFixed(0)} |`),
    '',
    '| target | measured | bound | |',
    '|---|---|---|---|',
    ...r.targets.map((t) => `| ${t.name} | ${f(t.value)}${t.unit} | ${bound(t)} | ${t.pass ? 'pass' : '**MISSED**'} |`),
    '',
    'Chart of p50 and CPU per query by variant: [bench.svg](bench.svg).',
    '',
  ];
  return lines.join('\n');
}
