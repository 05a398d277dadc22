/**
 * No container engine runs where these tests do, so the Dockerfile and compose.yaml are linted here:
 * parsed and checked against the rules the README promises (docs/design.md#operations). `docker build` itself is
 * left to a machine with an engine.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { AccountsEnv } from '../../src/accounts/settings.js';
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

/** Compose's variable interpolation (`${NAME}`, `${NAME:-default}`) with the given `.env` values. */
function interpolate(environment: Record<string, string>, dotEnv: Record<string, string>): Record<string, string> {
  const value = (text: string) =>
    text.replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_match, name: string, fallback?: string) => dotEnv[name] || (fallback ?? ''));
  return Object.fromEntries(Object.entries(environment).map(([key, text]) => [key, value(String(text))]));
}

describe('compose.yaml', () => {
  const text = readFileSync('compose.yaml', 'utf8');
  const compose = parse(text, { merge: true }) as { services: Record<string, Record<string, unknown>> };
  const subgraphs = Object.entries(compose.services).filter(([name]) => name.startsWith('subgraph-'));
  const environmentOf = (service: Record<string, unknown>) => service.environment as Record<string, string>;

  it('is a valid Compose file (the Compose Specification JSON schema, vendored in test/operations/compose-spec/)', () => {
    // Its `$schema` is draft-07 under an https URL Ajv does not know by that name: Ajv's draft-07 applies.
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync('test/operations/compose-spec/compose-spec.json', 'utf8')) as Record<string, unknown>;
    // `strict: false`: the schema uses keywords (`format: duration`, ...) that only Compose itself checks.
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    // As Compose reads it: YAML merge keys (`<<: *subgraph`) applied first.
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('runs Redis, Postgres and at least two subgraph replicas', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['redis', 'postgres']));
    expect(subgraphs.length).toBeGreaterThanOrEqual(2);
  });

  it.each(['subgraph-1', 'subgraph-2'])('%s shares the quota through the redis service and sets only known settings', (name) => {
    const environment = environmentOf(compose.services[name]!);
    expect(environment.REDIS_URL).toBe('redis://redis:6379');
    expect(Object.keys(environment).filter((key) => !SETTING_NAMES.includes(key))).toEqual([]);
  });

  it('passes every setting that linked accounts, caller JWTs and the link page read (the registry is Postgres, not DATA_DIR)', () => {
    const needed = Object.keys(AccountsEnv).filter((key) => key !== 'DATA_DIR');
    for (const [, service] of subgraphs) expect(needed.filter((key) => !(key in environmentOf(service)))).toEqual([]);
  });

  it('gives the drain time before a SIGKILL (stop_grace_period > SHUTDOWN_TIMEOUT_MS)', () => {
    for (const [, service] of subgraphs) {
      const grace = Number(/^(\d+)s$/.exec(String(service.stop_grace_period))?.[1]) * 1000;
      expect(grace).toBeGreaterThan(Number(environmentOf(service).SHUTDOWN_TIMEOUT_MS));
    }
  });

  it('waits for healthy Redis and Postgres and probes /ready', () => {
    for (const [, service] of subgraphs) {
      expect(service.depends_on).toEqual({ redis: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' } });
      expect(JSON.stringify(service.healthcheck)).toContain('/ready');
    }
  });

  it('serves linked accounts only, in production, when .env names no account', () => {
    const environment = interpolate(environmentOf(subgraphs[0]![1]), {});
    expect(loadConfig(environment)).toMatchObject({ production: true, target: { kind: 'none' } });
  });

  it("points both replicas at one shared sandbox (profile `sandbox`), never one embedded sandbox each", () => {
    const sandbox = compose.services.sandbox!;
    expect(sandbox.profiles).toEqual(['sandbox']);
    expect(sandbox.command).toEqual(['node', 'dist/src/sandbox/main.js']);
    const dotEnv = { FRESHCHAT_API_URL: 'http://sandbox:4010/v2', FRESHCHAT_API_TOKEN: 'sandbox-token' };
    for (const [, service] of subgraphs) {
      expect(environmentOf(service)).not.toHaveProperty('FRESHCHAT_SANDBOX');
      expect(loadConfig(interpolate(environmentOf(service), dotEnv)).target).toMatchObject({ kind: 'freshchat', baseUrl: 'http://sandbox:4010/v2' });
    }
  });

  it('links accounts and checks JWTs with what .env gives', () => {
    const dotEnv = { CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'), ADMIN_TOKEN: 'a'.repeat(32), AUTH_JWT_SECRET: 's'.repeat(32), PUBLIC_URL: 'https://subgraph.example.com' };
    const config = loadConfig(interpolate(environmentOf(subgraphs[0]![1]), dotEnv));
    expect(config.accounts.credentialsKey).toBeDefined();
    expect(config.accounts.adminToken).toBeDefined();
    expect(config.accounts.auth?.key.kind).toBe('secret');
    expect(config.accounts.publicUrl).toBe('https://subgraph.example.com');
  });
});

describe('.dockerignore', () => {
  const ignored = readFileSync('.dockerignore', 'utf8').split('\n').map((line) => line.trim());
  it.each(['.env', '.data/', 'artifacts/', 'bench/report/', 'node_modules/', 'dist/', '.git'])('keeps %s out of the build context', (path) => {
    expect(ignored).toContain(path);
  });
});
