import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { Metrics } from './metrics.js';

export type GraphQLOutcome = 'ok' | 'partial' | 'error' | 'rejected';

/** Counts every GraphQL request by operation type and outcome, and times it. */
export function graphqlMetricsPlugin<TContext extends BaseContext>(metrics: Metrics): ApolloServerPlugin<TContext> {
  // Label sets bound once per (operation type, outcome): a handful of series, never request data.
  const counters = new Map<string, { inc(): void }>();
  const timers = new Map<string, { observe(value: number): void }>();
  const counter = (operationType: string, outcome: GraphQLOutcome) => {
    const key = `${operationType}\u0000${outcome}`;
    let bound = counters.get(key);
    if (bound === undefined) counters.set(key, (bound = metrics.graphqlRequests.labels({ operation_type: operationType, outcome })));
    return bound;
  };
  const timer = (operationType: string) => {
    let bound = timers.get(operationType);
    if (bound === undefined) timers.set(operationType, (bound = metrics.graphqlDuration.labels({ operation_type: operationType })));
    return bound;
  };
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      return {
        async willSendResponse(request) {
          const operationType = request.operation?.operation ?? 'unknown';
          counter(operationType, toOutcome(request)).inc();
          timer(operationType).observe((performance.now() - startedAt) / 1000);
        },
      };
    },
  };
}

export function toOutcome<TContext extends BaseContext>(request: GraphQLRequestContextWillSendResponse<TContext>): GraphQLOutcome {
  const { body, http } = request.response;
  if ((http.status ?? 200) >= 400) return 'rejected';
  if (body.kind !== 'single') return 'ok';
  const { data, errors } = body.singleResult;
  if (!errors?.length) return 'ok';
  return data == null ? 'error' : 'partial';
}
