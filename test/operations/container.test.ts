/**
 * No container engine runs where these tests do, so the Dockerfile and compose.yaml are linted here:
 * parsed and checked against the rules the README promises (docs/design.md#operations). `docker build` itself is
 * left to a machine with an engine.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SETTING_NAMES, loadConfig } from '../../src/config.js';

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
    });
}

/** Instructions per stage, the last one being the image that runs. */
function stages(all: Instruction[]): Instruction[][] {
  const result: Instruction[][] = [];
  for (const instruction of all) {
    if (instruction.keyword === 'FROM') result.push([]);
    result.at(-1)?.push(instruction);
  }
  return result;
}

describe('Dockerfile', () => {
  const all = instructions(readFileSync('Dockerfile', 'utf8'));
  const built = stages(all);
  const runtime = built.at(-1)!;
  const find = (keyword: string) => runtime.filter((i) => i.keyword === keyword);

  it('is multi-stage: dev dependencies only in the build stage', () => {
    expect(built.length).toBeGreaterThanOrEqual(2);
    expect(all.some((i) => i.keyword === 'RUN' && /npm ci --omit=dev/.test(i.args))).toBe(true);
    expect(runtime.filter((i) => i.keyword === 'RUN')).toEqual([]);
  });

  it('runs as a non-root user', () => {
    const user = find('USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });

  it('starts node on dist/ directly (exec form), so SIGTERM reaches the drain', () => {
    const cmd = JSON.parse(find('CMD').at(-1)!.args) as string[];
    expect(cmd[0]).toBe('node');
    expect(cmd.at(-1)).toBe('dist/src/index.js');
    expect(find('ENTRYPOINT')).toEqual([]);
  });

  it('has a HEALTHCHECK on /health', () => {
    expect(find('HEALTHCHECK').at(-1)?.args).toMatch(/\/health/);
  });

  it('ships the SDL the server reads at start, and production mode', () => {
    expect(find('COPY').some((i) => /\bschema\b/.test(i.args))).toBe(true);
    expect(find('ENV').map((i) => i.args).join(' ')).toMatch(/NODE_ENV=production/);
  });

  it('copies only paths that exist', () => {
    const sources = all
      .filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args))
      .flatMap((i) => i.args.split(/\s+/).filter((part) => !part.startsWith('--')).slice(0, -1));
    expect(sources.filter((path) => !existsSync(path))).toEqual([]);
  });
});

describe('compose.yaml', () => {
  const compose = parse(readFileSync('compose.yaml', 'utf8'), { merge: true }) as { services: Record<string, Record<string, unknown>> };
  const subgraphs = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);
  // Read by the linked-accounts registry (docs/design.md#linked-accounts), which another branch adds.
  const PENDING_SETTINGS = ['DATABASE_URL'];

  it('runs Redis, Postgres and at least two subgraph replicas', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['redis', 'postgres']));
    expect(subgraphs.length).toBeGreaterThanOrEqual(2);
  });

  it.each(['subgraph-1', 'subgraph-2'])('%s shares the quota through the redis service and sets only known settings', (name) => {
    const environment = compose.services[name]!.environment as Record<string, string>;
    expect(environment.REDIS_URL).toBe('redis://redis:6379');
    expect(Object.keys(environment).filter((key) => !SETTING_NAMES.includes(key) && !PENDING_SETTINGS.includes(key))).toEqual([]);
  });

  it('gives the drain time before a SIGKILL (stop_grace_period > SHUTDOWN_TIMEOUT_MS)', () => {
    for (const [, service] of subgraphs) {
      const grace = Number(/^(\d+)s$/.exec(String(service.stop_grace_period))?.[1]) * 1000;
      const environment = service.environment as Record<string, string>;
      expect(grace).toBeGreaterThan(Number(environment.SHUTDOWN_TIMEOUT_MS));
    }
  });

  it('waits for healthy Redis and Postgres and probes /ready', () => {
    for (const [, service] of subgraphs) {
      expect(service.depends_on).toEqual({ redis: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' } });
      expect(JSON.stringify(service.healthcheck)).toContain('/ready');
    }
  });

  it('holds an environment the subgraph accepts', () => {
    const environment = { ...(subgraphs[0]![1].environment as Record<string, string>), FRESHCHAT_SANDBOX: 'true', FRESHCHAT_API_URL: '', FRESHCHAT_API_TOKEN: '', OTEL_EXPORTER_OTLP_ENDPOINT: '' };
    expect(loadConfig(environment)).toMatchObject({ production: true, target: { kind: 'sandbox' } });
  });
});
