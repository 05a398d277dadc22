/** A refusal the CLI reports as one line on stderr and exit code 1 (anything else is a bug). */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}

export function fail(message: string): never {
  throw new CliFailure(message);
}
