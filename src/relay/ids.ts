import { ACCOUNT_ID_PATTERN } from '../account.js';

/**
 * Opaque Relay global ids (docs/design.md#global-ids), shared by every helpdesk subgraph of a supergraph:
 *
 *   id = base64url("hd1:<provider>:<typename>:<accountId>:<remoteId>")   (RFC 4648 §5, no padding)
 *
 * - `hd1` versions the format, so a later one can be told apart and rejected cleanly.
 * - provider: lower-case helpdesk name (`freshchat`), /^[a-z][a-z0-9_-]{0,31}$/.
 * - typename: the concrete GraphQL type (`FreshchatTicketingUser`), a GraphQL name.
 * - accountId: the linked account (/^[A-Za-z0-9._-]{1,64}$/), because remote ids are only unique
 *   within one helpdesk account.
 * - remoteId: the helpdesk's own id, any non-empty string; it is the last segment, so it may
 *   contain `:`.
 * Exactly one encoding is valid per id (canonical base64url), so equal objects have equal ids
 * (Relay field stability, Apollo cache normalisation); the whole id is at most 1024 characters.
 */
export interface GlobalId {
  provider: string;
  typename: string;
  accountId: string;
  remoteId: string;
}

const VERSION = 'hd1';
export const MAX_ID_LENGTH = 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const PROVIDER = /^[a-z][a-z0-9_-]{0,31}$/;
const TYPENAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
// In unicode mode a paired surrogate is one code point, so only a lone one is `Cs`.
const LONE_SURROGATE = /\p{Cs}/u;

/** Encodes `parts`; throws on parts that could not be decoded back, which is a bug in the caller. */
export function toGlobalId(parts: GlobalId): string {
  const { provider, typename, accountId, remoteId } = parts;
  const id = Buffer.from(`${VERSION}:${provider}:${typename}:${accountId}:${remoteId}`, 'utf8').toString('base64url');
  // A lone surrogate in remoteId, a `:` in the typename or an overlong id would not come back intact.
  // The same checks as decoding it back, without the decode: this runs once per node on every page.
  const same = id.length <= MAX_ID_LENGTH && remoteId.length > 0 && !LONE_SURROGATE.test(remoteId) && validPrefix(provider, typename, accountId);
  if (!same) throw new Error(`toGlobalId: cannot encode a ${provider} ${typename} id for account ${accountId}`);
  return id;
}

// Few distinct (provider, typename, account) triples exist; their verdicts are kept, bounded.
const PREFIXES = new Map<string, boolean>();

function validPrefix(provider: string, typename: string, accountId: string): boolean {
  const key = `${provider}\u0000${typename}\u0000${accountId}`;
  let ok = PREFIXES.get(key);
  if (ok === undefined) {
    ok = PROVIDER.test(provider) && TYPENAME.test(typename) && ACCOUNT_ID_PATTERN.test(accountId);
    if (PREFIXES.size >= 1_000) PREFIXES.clear();
    PREFIXES.set(key, ok);
  }
  return ok;
}

/** The parts of a well-formed global id; `null` for anything else (never throws). */
export function fromGlobalId(id: string): GlobalId | null {
  if (id.length === 0 || id.length > MAX_ID_LENGTH || !BASE64URL.test(id)) return null;
  const text = Buffer.from(id, 'base64url').toString('utf8');
  // Node's decoder is lenient (stray bits, invalid UTF-8); re-encoding rejects every non-canonical form.
  if (Buffer.from(text, 'utf8').toString('base64url') !== id) return null;
  return parseGlobalId(text);
}

function parseGlobalId(text: string): GlobalId | null {
  const [version, provider, typename, accountId, ...rest] = text.split(':');
  const remoteId = rest.join(':');
  if (version !== VERSION || provider === undefined || typename === undefined || accountId === undefined) return null;
  if (!PROVIDER.test(provider) || !TYPENAME.test(typename) || !ACCOUNT_ID_PATTERN.test(accountId)) return null;
  if (rest.length === 0 || remoteId.length === 0) return null;
  return { provider, typename, accountId, remoteId };
}

/**
 * Decodes an id this subgraph minted for `expect.accountId` and one of `expect.typenames`; `null`
 * for malformed, foreign-provider, other-account or other-type ids, so `node`/`_entities` return
 * null and typed lookups can turn null into BAD_USER_INPUT.
 */
export function decodeOwnId(
  id: string,
  expect: { provider: string; accountId: string; typenames: readonly string[] },
): GlobalId | null {
  const parts = fromGlobalId(id);
  if (parts === null) return null;
  if (parts.provider !== expect.provider || parts.accountId !== expect.accountId) return null;
  return expect.typenames.includes(parts.typename) ? parts : null;
}
