import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUntil } from '../support/process.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}
interface OtlpExport {
  resourceSpans: { resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[] }[];
}

/** An in-process OTLP/HTTP collector: keeps every span posted to /v1/traces. */
async function startReceiver(): Promise<{ url: string; spans: (OtlpSpan & { scope: string; service?: string })[]; paths: string[]; server: Server }> {
  const spans: (OtlpSpan & { scope: string; service?: string })[] = [];
  const paths: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      const parsed = JSON.parse(body) as OtlpExport;
      for (const rs of parsed.resourceSpans) {
        const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
        for (const ss of rs.scopeSpans) for (const span of ss.spans) spans.push({ ...span, scope: ss.scope.name, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, paths, server };
}

const attribute = (span: OtlpSpan, key: string) => span.attributes.find((a) => a.key === key)?.value.stringValue;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('OpenTelemetry traces over OTLP/HTTP', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let spans: Awaited<ReturnType<typeof startReceiver>>['spans'];
  beforeAll(async () => {
    receiver = await startReceiver();
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'freshchat-test' };
    const child = spawn(process.execPath, ['--import', tsx, resolve('src/index.ts')], { env });
    const ready = await readUntil(child.stdout, /Freshchat subgraph ready at (http:[^\s"]+)/);
    const url = /ready at (http:[^\s"]+)/.exec(ready)![1]!;
    const res = await fetch(url, {
      method: 'POST',
      // As a router sends it: this subgraph's spans join the router's trace.
      headers: { 'content-type': 'application/json', traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ query: 'query SlowAgents { freshchat { ticketingUsers(first: 2) { totalCount } } }' }),
    });
    expect(res.status).toBe(200);
    await fetch(url.replace('/graphql', '/health'));
    child.kill('SIGTERM'); // the shutdown exports what is buffered
    await once(child, 'exit');
    spans = receiver.spans;
  }, 60_000);
  afterAll(() => receiver.server.close());

  it('posts OTLP JSON to <endpoint>/v1/traces under OTEL_SERVICE_NAME', () => {
    expect(receiver.paths[0]).toMatch(/^POST \/v1\/traces application\/json/);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['freshchat-test']));
  });

  it('traces the incoming request, GraphQL execution and the Freshchat call in the router trace', () => {
    const inTrace = spans.filter((s) => s.traceId === TRACE_ID);
    const scopes = new Set(inTrace.map((s) => s.scope));
    expect([...scopes]).toEqual(expect.arrayContaining(['@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-graphql', '@opentelemetry/instrumentation-undici']));
  });

  it('leads from the slow query to the Freshchat call that made it slow (parent chain)', () => {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const upstream = spans.find((s) => s.scope === '@opentelemetry/instrumentation-undici' && (attribute(s, 'url.path') ?? attribute(s, 'url.full') ?? '').includes('/v2/agents'))!;
    expect(upstream).toBeDefined();
    const chain: string[] = [];
    for (let span: (typeof spans)[number] | undefined = upstream; span; span = span.parentSpanId ? byId.get(span.parentSpanId) : undefined) chain.push(span.scope);
    expect(chain).toContain('@opentelemetry/instrumentation-graphql');
    expect(chain.at(-1)).toBe('@opentelemetry/instrumentation-http');
  });

  it('sends no query string of a Freshchat call (it may hold e-mail addresses)', () => {
    const upstream = spans.filter((s) => s.scope === '@opentelemetry/instrumentation-undici');
    expect(upstream.length).toBeGreaterThan(0);
    for (const span of upstream) expect(JSON.stringify(span.attributes)).not.toMatch(/items_per_page/);
  });

  it('does not trace probes', () => {
    expect(spans.filter((s) => attribute(s, 'url.path') === '/health' || attribute(s, 'http.target') === '/health')).toEqual([]);
  });
});
