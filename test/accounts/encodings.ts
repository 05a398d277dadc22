/** Every way a token could sit in a file or a column: clear, base64 (any alignment), base64url, hex. */
export function encodingsOf(token: string): string[] {
  const bytes = Buffer.from(token, 'utf8');
  const forms = [token, bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
  for (const pad of [0, 1, 2]) {
    // The token's bytes inside a longer value start at any offset mod 3; the middle of each
    // encoding is the same whatever surrounds it.
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((pad * 4) / 3) + 1, -4);
    forms.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return forms;
}
