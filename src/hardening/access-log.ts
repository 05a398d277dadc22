import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { RequestStats } from '../context.js';
import type { Logger } from '../logger.js';
import { currentScope } from '../request-scope.js';
import { Kind } from 'graphql';

const MAX_NAME_LENGTH = 100;

/**
 * One `info` line per GraphQL request: operation name and type, HTTP status, duration, upstream
 * calls and error codes. Never the document or variables: they carry e-mail addresses and ids.
 */
export function accessLogPlugin<TContext extends BaseContext & RequestStats>(logger: Logger): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      // Level off (LOG_LEVEL=warn or above): no hook at all, so no line is built only to be dropped.
      if (!logger.isLevelEnabled('info')) return;
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
  const errors = body.kind === 'single' ? body.singleResult.errors : undefined;
  const codes = errors?.length ? [...new Set(errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNKNOWN')))] : [];
  const called = currentScope()?.accounts;
  const accounts = called?.size ? [...called] : [];
  return {
    operationName: operationNameOf(request)?.slice(0, MAX_NAME_LENGTH) ?? null,
    operationType: request.operation?.operation ?? null,
    status: http.status ?? 200,
    durationMs: Math.round(durationMs * 10) / 10,
    upstreamCalls: request.contextValue.stats.upstreamCalls,
    ...(accounts.length > 0 && { accounts }),
    ...(codes.length > 0 && { errorCodes: codes }),
  };
}

const NAMED_OPERATION = /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/**
 * The operation's name, also when it failed before Apollo resolved it (a validation error, an
 * operation type this subgraph does not serve): the `operationName` sent, else the document's only
 * named operation, else the name at the start of the source.
 */
export function operationNameOf(request: Pick<GraphQLRequestContextWillSendResponse<BaseContext>, 'operationName' | 'document' | 'source'>): string | undefined {
  if (request.operationName) return request.operationName;
  const operations = request.document?.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION) ?? [];
  if (operations.length === 1) return operations[0]?.name?.value;
  return request.source === undefined ? undefined : NAMED_OPERATION.exec(request.source)?.[1];
}
