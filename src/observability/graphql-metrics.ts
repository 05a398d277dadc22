import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { Metrics } from './metrics.js';

export type GraphQLOutcome = 'ok' | 'partial' | 'error' | 'rejected';

/** Counts every GraphQL request by operation type and outcome, and times it. */
export function graphqlMetricsPlugin<TContext extends BaseContext>(metrics: Metrics): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      return {
        async willSendResponse(request) {
          const operationType = request.operation?.operation ?? 'unknown';
          metrics.graphqlRequests.inc({ operation_type: operationType, outcome: toOutcome(request) });
          metrics.graphqlDuration.observe({ operation_type: operationType }, (performance.now() - startedAt) / 1000);
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
