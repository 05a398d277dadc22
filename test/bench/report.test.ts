import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { renderChart } from '../../bench/chart.js';
import { spawnChild } from '../../bench/ipc.js';
import { meets, renderMarkdown, type Row, type Target } from '../../bench/report.js';
import { startSandbox } from '../../src/sandbox/index.js';

const row = (variant: Row['variant'], over: Partial<Row> = {}): Row => ({
  scenario: 'fan-out',
  latencyMs: 0,
  variant,
  calls: 1,
  minimalCalls: 1,
  p50: 2,
  p99: 4,
  efficiency: null,
  cpuMsPerQuery: 0.5,
  requests: 100,
  errors: 0,
  ...over,
});

const ROWS: Row[] = [row('ours'), row('naive', { calls: 147, p50: 9 }), row('oracle'), row('bare', { calls: null, cpuMsPerQuery: 0.2 })];

const TARGETS: Target[] = [
  { name: 'fan-out: ≥ 30× fewer upstream calls than naive', value: 147, min: 30, unit: '× fewer' },
  { name: 'CPU per fan-out query ≤ 2× the bare server', value: 2.5, max: 2, unit: '×' },
];

function report() {
  return {
    gitSha: 'abc1234', dirty: false, node: 'v22.15.0', date: '2026-01-01T00:00:00.000Z', quick: true, rounds: 1, secondsPerSample: 1, rows: ROWS,
    peakRssMiB: { ours: 300, naive: 150, oracle: 150, bare: 140 },
    paging: { contacts: 100, queries: 1, upstreamCalls: 2, minimalCalls: 2, seconds: 1, baselineHeapMiB: 40, afterHeapMiB: 41, retainedMiB: 1 },
    pacing: [],
    targets: TARGETS.map((t) => ({ ...t, pass: meets(t) })),
    durationS: 60,
  };
}

describe('the benchmark report', () => {
  it('states "at least" targets as they read, never negated', () => {
    const markdown = renderMarkdown(report());
    expect(markdown).toContain('| fan-out: ≥ 30× fewer upstream calls than naive | 147.00× fewer | ≥ 30× fewer | pass |');
    expect(markdown).toContain('| CPU per fan-out query ≤ 2× the bare server | 2.50× | ≤ 2× | **MISSED** |');
    expect(markdown).not.toMatch(/negated|\| -\d/);
  });

  it('shows the bare server as having no upstream, not NaN calls', () => {
    const markdown = renderMarkdown(report());
    expect(markdown).toContain('| fan-out | 0 ms | bare | – (no upstream) |');
    expect(markdown).not.toContain('NaN');
  });

  it('links the chart beside it', () => {
    expect(renderMarkdown(report())).toContain('[bench.svg](bench.svg)');
  });
});

describe('the benchmark chart', () => {
  const svg = renderChart(ROWS);

  it('is one self-contained SVG document', () => {
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>[\s\S]*<\/svg>\n$/);
    expect(svg).not.toMatch(/<script|href=|url\(/);
  });

  it('draws one p50 bar and one CPU bar per variant, with its value', () => {
    for (const variant of ['ours', 'naive', 'oracle', 'bare']) expect(svg.match(new RegExp(`<title>${variant}: `, 'g'))).toHaveLength(2);
    expect(svg).toContain('<title>naive: 9.0</title>');
    expect(svg).toContain('<title>bare: 0.20</title>');
    expect(svg).not.toContain('NaN');
  });
});

describe('a benchmark server', () => {
  it("runs on a temporary DATA_DIR of its own, removed when it stops (never the repo's registry)", async () => {
    const sandbox = await startSandbox();
    try {
      const child = await spawnChild('./variants/ours.ts', { BENCH_UPSTREAM: sandbox.baseUrl, BENCH_TOKEN: sandbox.token });
      const dataDir = await child.call<string>('dataDir');
      expect(dataDir.startsWith(tmpdir())).toBe(true);
      await child.stop();
      await expect.poll(() => existsSync(dataDir)).toBe(false);
    } finally {
      await sandbox.close();
    }
  }, 120_000);
});
