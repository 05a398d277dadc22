/** Docs print production answers: outside production, each error also carries a stack trace. */
export function withoutStacktraces<T extends { errors?: { extensions?: Record<string, unknown> }[] }>(res: T): T {
  const errors = res.errors?.map(({ extensions, ...error }) => {
    if (extensions === undefined) return error;
    const { stacktrace: _stacktrace, ...rest } = extensions;
    return { ...error, extensions: rest };
  });
  return errors === undefined ? res : { ...res, errors };
}
