import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('operations settings', () => {
  it('defaults: metrics on, no tracing, 10 s drain, 1,000 connections (250 per client, 10 s to speak), /ready cached 5 s', () => {
    expect(loadConfig({}).operations).toEqual({
      metricsEnabled: true,
      otlpEndpoint: undefined,
      serviceName: 'freshchat-subgraph',
      shutdownTimeoutMs: 10_000,
      connections: { maxConnections: 1_000, maxConnectionsPerClient: 250, firstByteTimeoutMs: 10_000 },
      readyCacheMs: 5_000,
    });
  });

  it.each([
    [{ METRICS_ENABLED: 'false' }, { metricsEnabled: false }],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, { otlpEndpoint: 'http://collector:4318' }],
    [{ SHUTDOWN_TIMEOUT_MS: '2500' }, { shutdownTimeoutMs: 2_500 }],
    [{ MAX_CONNECTIONS: '100' }, { connections: { maxConnections: 100, maxConnectionsPerClient: 25, firstByteTimeoutMs: 10_000 } }],
    [{ MAX_CONNECTIONS_PER_CLIENT: '40', FIRST_BYTE_TIMEOUT_MS: '2000' }, { connections: { maxConnections: 1_000, maxConnectionsPerClient: 40, firstByteTimeoutMs: 2_000 } }],
    // A share above the whole is the whole: one client may then use every connection.
    [{ MAX_CONNECTIONS: '100', MAX_CONNECTIONS_PER_CLIENT: '500' }, { connections: { maxConnections: 100, maxConnectionsPerClient: 100, firstByteTimeoutMs: 10_000 } }],
  ])('reads %o', (env, expected) => {
    expect(loadConfig(env).operations).toMatchObject(expected);
  });

  it.each([['METRICS_ENABLED', 'no'], ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'], ['SHUTDOWN_TIMEOUT_MS', '-1'], ['MAX_CONNECTIONS', '0'], ['MAX_CONNECTIONS_PER_CLIENT', '0'], ['FIRST_BYTE_TIMEOUT_MS', '50'], ['FIRST_BYTE_TIMEOUT_MS', '60000']])(
    'rejects %s=%s naming the variable',
    (name, value) => {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value })).toThrow(name);
    },
  );

  describe('the embedded sandbox in production', () => {
    it('is not the target with NODE_ENV=production and no account', () => {
      expect(loadConfig({ NODE_ENV: 'production' }).target).toEqual({ kind: 'none' });
    });

    it('is the target with FRESHCHAT_SANDBOX=true', () => {
      expect(loadConfig({ NODE_ENV: 'production', FRESHCHAT_SANDBOX: 'true' }).target).toMatchObject({ kind: 'sandbox' });
    });

    it('is the target in development without asking', () => {
      expect(loadConfig({}).target).toMatchObject({ kind: 'sandbox' });
    });
  });
});

describe('HOST and PORT defaults', () => {
  it('are the ones the README and .env.example state', async () => {
    const { readFileSync } = await import('node:fs');
    const config = loadConfig({});
    expect(readFileSync('README.md', 'utf8')).toContain(`| \`PORT\`, \`HOST\` | \`${config.port}\`, \`${config.host}\` |`);
    expect(readFileSync('.env.example', 'utf8')).toMatch(new RegExp(`^PORT=${config.port}\\nHOST=${config.host.replace(/\./g, '\\.')}$`, 'm'));
  });
});
