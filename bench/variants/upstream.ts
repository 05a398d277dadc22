/**
 * The plain Freshchat GET the hand-written variants (naive, oracle) make: the sandbox the bench
 * started (BENCH_UPSTREAM) with its token, no retries, no limits — the floor they are measured as.
 */
export function createUpstreamGet(): <T>(path: string) => Promise<T> {
  const base = process.env.BENCH_UPSTREAM!;
  const headers = { authorization: `Bearer ${process.env.BENCH_TOKEN!}` };
  return async <T>(path: string): Promise<T> => {
    const res = await fetch(`${base}${path}`, { headers });
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return (await res.json()) as T;
  };
}
