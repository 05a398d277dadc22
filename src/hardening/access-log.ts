import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { RequestStats } from '../context.js';
import type { Logger } from '../logger.js';

const MAX_NAME_LENGTH = 100;

/**
 * One `info` line per GraphQL request: operation name and type, HTTP status, duration, upstream
 * calls and error codes. Never the document or variables: they carry e-mail addresses and ids.
 */
export function accessLogPlugin<TContext extends BaseContext & RequestStats>(logger: Logger): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      return {
        async willSendResponse(request) {
          logger.info(toAccessLine(request, performance.now() - startedAt), 'graphql request');
        },
      };
    },
  };
}

function toAccessLine<TContext extends BaseContext & RequestStats>(
  request: GraphQLRequestContextWillSendResponse<TContext>,
  durationMs: number,
) {
  const { body, http } = request.response;
  const errors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
  const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')))];
  return {
    operationName: request.operationName?.slice(0, MAX_NAME_LENGTH) ?? null,
    operationType: request.operation?.operation ?? null,
    status: http.status ?? 200,
    durationMs: Math.round(durationMs * 10) / 10,
    upstreamCalls: request.contextValue.stats.upstreamCalls,
    ...(codes.length > 0 && { errorCodes: codes }),
  };
}
