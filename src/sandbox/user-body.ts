/**
 * The sandbox's check of a contact body (`POST /users`, `PUT /users/{id}`): Freshchat-style 400
 * INVALID_VALUE answers for what the subgraph also refuses before sending (the same limits), so a
 * client that skips those checks (the passthrough) meets them here.
 */
import { CONTACT_LIMITS, PROPERTY_NAME } from '../resources/contacts.js';
import type * as Freshchat from '../resources/wire.js';
import { invalidValue } from './paging.js';

const EMAIL = /^[^\s@"(),:;<>[\\\]]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;
const PHONE = /^\+?[0-9][0-9 ().-]*$/;
const TEXT_FIELDS = { first_name: CONTACT_LIMITS.name, last_name: CONTACT_LIMITS.name, reference_id: CONTACT_LIMITS.referenceId } as const;

export type UserBody = Pick<Freshchat.User, 'email' | 'first_name' | 'last_name' | 'phone' | 'avatar' | 'reference_id' | 'properties'>;

/** The writable fields of `body`, checked; unknown fields are ignored as Freshchat ignores them. */
export function readUserBody(body: unknown): UserBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidValue('The body must be a JSON object');
  const raw = body as Record<string, unknown>;
  const out: UserBody = {};
  for (const [name, max] of Object.entries(TEXT_FIELDS)) {
    const value = raw[name];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length > max) throw invalidValue(`${name} must be a string of at most ${max} characters`);
    out[name as keyof typeof TEXT_FIELDS] = value;
  }
  if (raw.email !== undefined) out.email = checked(raw.email, (v) => v.length <= CONTACT_LIMITS.email && EMAIL.test(v), 'email is not a valid email address');
  if (raw.phone !== undefined) out.phone = checked(raw.phone, (v) => v.length <= CONTACT_LIMITS.phone && PHONE.test(v), 'phone is not a valid phone number');
  if (raw.avatar !== undefined) out.avatar = { url: readAvatarUrl(raw.avatar) };
  if (raw.properties !== undefined) out.properties = readProperties(raw.properties);
  return out;
}

function checked(value: unknown, ok: (value: string) => boolean, message: string): string {
  if (typeof value !== 'string' || !ok(value)) throw invalidValue(message);
  return value;
}

function readAvatarUrl(avatar: unknown): string {
  const url = typeof avatar === 'object' && avatar !== null ? (avatar as { url?: unknown }).url : undefined;
  const ok = (v: string) => v.length <= CONTACT_LIMITS.avatarUrl && URL.canParse(v) && /^https?:$/.test(new URL(v).protocol);
  return checked(url, ok, 'avatar.url must be an http(s) URL');
}

function readProperties(properties: unknown): Freshchat.Property[] {
  if (!Array.isArray(properties) || properties.length > CONTACT_LIMITS.properties) {
    throw invalidValue(`properties must be an array of at most ${CONTACT_LIMITS.properties} {name, value} objects`);
  }
  return properties.map((p: unknown) => {
    const { name, value } = (typeof p === 'object' && p !== null ? p : {}) as { name?: unknown; value?: unknown };
    const okName = typeof name === 'string' && name.length <= CONTACT_LIMITS.propertyName && PROPERTY_NAME.test(name);
    if (!okName) throw invalidValue('properties[].name must be a letter followed by letters, digits or underscores');
    if (typeof value !== 'string' || value.length > CONTACT_LIMITS.propertyValue) throw invalidValue('properties[].value must be a string');
    return { name, value };
  });
}
