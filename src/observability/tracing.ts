/**
 * OpenTelemetry traces (docs/design.md#operations): incoming HTTP, GraphQL parse/validate/execute and resolvers, and
 * every undici request to Freshchat, exported over OTLP/HTTP (JSON) to `<endpoint>/v1/traces`. Only
 * loaded when OTEL_EXPORTER_OTLP_ENDPOINT is set, and before the server's modules, since
 * instrumentation patches `http` and `graphql` as they load.
 */
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface Tracing {
  /** Exports what is buffered, then stops (called during shutdown). */
  shutdown(): Promise<void>;
}

export interface TracingSettings {
  /** OTLP/HTTP base URL, e.g. http://otel-collector:4318. */
  endpoint: string;
  serviceName: string;
  /** Milliseconds between batch exports (tests shorten it). */
  exportDelayMs?: number;
}

// Probes and scrapes would drown the traces that matter.
const UNTRACED_PATHS = new Set(['/health', '/ready', '/metrics']);

export function startTracing(settings: TracingSettings): Tracing {
  const exporter = new OTLPTraceExporter({ url: `${settings.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: settings.exportDelayMs ?? 5_000 })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // A router's traceparent joins this subgraph's spans to the router's trace.
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(provider);
  const disable = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0] ?? ''),
        // Outgoing calls are undici's (below); node:http clients here are only the OTLP exporter's own.
        ignoreOutgoingRequestHook: () => true,
      }),
      // Trivial field resolvers (a property read) would be one span each: only resolvers that do work.
      new GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, mergeItems: true }),
      // Freshchat queries may hold e-mail addresses (contact lookups): spans keep the path only.
      new UndiciInstrumentation({
        startSpanHook: (request) => ({ 'url.full': `${request.origin}${withoutQuery(request.path)}`, 'url.query': undefined }),
      }),
    ],
  });
  return {
    async shutdown() {
      disable();
      await provider.shutdown();
    },
  };
}

const withoutQuery = (path: string): string => path.split('?')[0] ?? path;
