import { Writable } from 'node:stream';
import { bootstrap, type Subgraph } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { listen } from '../../src/process/listen.js';
import { testDataDir } from '../support/data-dir.js';

export interface Running {
  subgraph: Subgraph;
  /** e.g. http://127.0.0.1:1234 (no path). */
  base: string;
  /** Every log line written so far, parsed. */
  lines: Record<string, unknown>[];
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** The subgraph as `npm start` wires it (bootstrap: the embedded sandbox, resilience, metrics), on loopback. */
export async function startSubgraph(env: Record<string, string> = {}): Promise<Running> {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const config = loadConfig({ LOG_LEVEL: 'debug', READY_CACHE_MS: '0', DATA_DIR: testDataDir(), ...env });
  const subgraph = await bootstrap(config, createLogger(config.logLevel, sink));
  const port = await listen(subgraph.server.httpServer, 0, '127.0.0.1', 'PORT');
  const base = `http://127.0.0.1:${port}`;
  return {
    subgraph,
    base,
    lines,
    async post(body, headers = {}) {
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
    },
    close: () => subgraph.stop(),
  };
}

/** The value of one sample of a Prometheus text exposition, e.g. `name{a="b"}`; undefined when absent. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
