/**
 * bench/report/bench.svg: the report's p50 latency and CPU per query as horizontal bars, one group per
 * scenario and upstream latency, one bar per variant, so the variants compare at a glance. Plain SVG
 * (no script, no font or style from elsewhere), readable in a browser or a Markdown viewer.
 */
import type { Row } from './report.js';
import type { Variant } from './scenarios.js';

const COLOURS: Record<Variant, string> = { ours: '#2f6fdb', oracle: '#2a9d5c', naive: '#d9822b', bare: '#8a8f98' };
const ORDER: Variant[] = ['ours', 'oracle', 'naive', 'bare'];

const BAR = 12;
const GAP = 10;
const LABEL_WIDTH = 330;
const PANEL_WIDTH = 300;
const TOP = 56;

interface Panel {
  title: string;
  value(row: Row): number;
  digits: number;
}

const PANELS: Panel[] = [
  { title: 'p50 latency (ms)', value: (r) => r.p50, digits: 1 },
  { title: 'CPU per query (ms)', value: (r) => r.cpuMsPerQuery, digits: 2 },
];

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderChart(rows: readonly Row[]): string {
  const groups = [...new Map(rows.map((r) => [`${r.scenario}|${r.latencyMs}`, { scenario: r.scenario, latencyMs: r.latencyMs }])).values()];
  const variantsOf = (g: (typeof groups)[number]) =>
    ORDER.flatMap((v) => rows.filter((r) => r.scenario === g.scenario && r.latencyMs === g.latencyMs && r.variant === v));
  const heights = groups.map((g) => variantsOf(g).length * BAR + GAP);
  const height = TOP + heights.reduce((a, b) => a + b, 0) + 20;
  const width = LABEL_WIDTH + PANELS.length * (PANEL_WIDTH + 90);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="8" y="18" font-size="14" font-weight="600">Benchmark: p50 latency and CPU per query by variant</text>`,
    ...ORDER.map((v, i) => `<rect x="${8 + i * 90}" y="28" width="10" height="10" fill="${COLOURS[v]}"/><text x="${22 + i * 90}" y="37">${v}</text>`),
  ];
  PANELS.forEach((panel, p) => {
    const x0 = LABEL_WIDTH + p * (PANEL_WIDTH + 90);
    const max = Math.max(1e-9, ...rows.map(panel.value).filter(Number.isFinite));
    parts.push(`<text x="${x0}" y="${TOP - 6}" font-weight="600">${escape(panel.title)}</text>`);
    let y = TOP;
    for (const g of groups) {
      if (p === 0) parts.push(`<text x="8" y="${y + BAR}" >${escape(`${g.scenario} · ${g.latencyMs} ms upstream`)}</text>`);
      for (const row of variantsOf(g)) {
        const value = panel.value(row);
        const length = Number.isFinite(value) ? Math.max(1, (value / max) * PANEL_WIDTH) : 0;
        parts.push(`<rect x="${x0}" y="${y}" width="${length.toFixed(1)}" height="${BAR - 2}" fill="${COLOURS[row.variant]}"><title>${escape(`${row.variant}: ${value.toFixed(panel.digits)}`)}</title></rect>`);
        parts.push(`<text x="${(x0 + length + 4).toFixed(1)}" y="${y + BAR - 3}" fill="#333">${Number.isFinite(value) ? value.toFixed(panel.digits) : '–'}</text>`);
        y += BAR;
      }
      y += GAP;
    }
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
