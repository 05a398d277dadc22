/** One measured load: what it cost the server child that answered it. */
import type autocannon from 'autocannon';
import type { Child, Usage } from './ipc.js';

export interface Sample {
  cpuMsPerQuery: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

/** Runs `load` against `child`: the child's CPU per request answered, latency, failed requests. */
export async function sample(child: Child, load: () => Promise<autocannon.Result>): Promise<Sample> {
  const before = await child.call<Usage>('usage');
  const result = await load();
  const after = await child.call<Usage>('usage');
  const requests = result.requests.total;
  return {
    cpuMsPerQuery: (after.cpuMs - before.cpuMs) / Math.max(1, requests),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests,
    errors: result.errors + result.non2xx,
  };
}
