import type * as Freshchat from '../resources/wire.js';
import type { Random } from './random.js';
import {
  EMAIL_DOMAINS, EPOCH_MS, DAY_MS, FIRST_NAMES, LAST_NAMES, PROPERTY_NAMES, SOCIAL_TYPES, SPAN_MS,
  ascii, handle, iso,
} from './vocab.js';

export const CONTACT_COUNT = 2000;

/**
 * Which optional shapes a contact gets is decided by its index, not by chance, so that tests (here
 * and in other folders) can rely on them without scanning: see the predicates below. Values are
 * still drawn from the PRNG.
 */
export const contactShape = {
  /** Every 20th contact (from #7) has a non-UUID id like webhook payloads show (docs/freshchat-api.md#contacts). */
  opaqueId: (i: number) => i % 20 === 7,
  /** Every 4th contact (from #0) has reference_id `crm-<index padded to 5>`, e.g. `crm-00000`. */
  referenceId: (i: number) => i % 4 === 0,
  /** first_name and last_name null. */
  nullNames: (i: number) => i % 25 === 4,
  /** first_name and last_name keys absent. */
  missingNames: (i: number) => i % 25 === 12,
  /** email null / email key absent. */
  nullEmail: (i: number) => i % 20 === 3,
  missingEmail: (i: number) => i % 20 === 13,
  /** The local part of the e-mail keeps its capitals (lookups must be case-insensitive). */
  mixedCaseEmail: (i: number) => i % 10 === 6,
} as const;

export function referenceIdFor(index: number): string {
  return `crm-${String(index).padStart(5, '0')}`;
}

/** Contact #0 carries every optional field, so a test can always find a fully populated contact. */
const isFull = (i: number) => i === 0;

/** `count` is CONTACT_COUNT for every test; the benchmark pages through 100,000. */
export function createContacts(rng: Random, count = CONTACT_COUNT): Freshchat.User[] {
  const step = Math.floor(SPAN_MS / count);
  const usedUpdated = new Set<number>();
  const contacts: Freshchat.User[] = [];
  for (let i = 0; i < count; i += 1) {
    // One creation slot per contact keeps created_time strictly increasing and distinct.
    const created = EPOCH_MS + i * step + rng.int(0, step - 1);
    let updated = created + rng.int(1_000, 180 * DAY_MS);
    while (usedUpdated.has(updated)) updated += 1;
    usedUpdated.add(updated);
    contacts.push(createContact(rng, i, created, updated));
  }
  return contacts;
}

function createContact(rng: Random, i: number, created: number, updated: number): Freshchat.User {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const id = contactShape.opaqueId(i) ? `${ascii(first)}_alias${rng.hex(32)}` : rng.uuid();
  return {
    id,
    ...names(i, first, last),
    ...email(rng, i, first, last),
    ...extras(rng, i, first, last),
    login_status: rng.chance(0.3),
    created_time: iso(created),
    updated_time: iso(updated),
  };
}

function names(i: number, first: string, last: string): Partial<Freshchat.User> {
  if (contactShape.missingNames(i)) return {};
  if (contactShape.nullNames(i)) return { first_name: null, last_name: null };
  return { first_name: first, last_name: last };
}

function email(rng: Random, i: number, first: string, last: string): Partial<Freshchat.User> {
  if (contactShape.missingEmail(i)) return {};
  if (contactShape.nullEmail(i)) return { email: null };
  const local = contactShape.mixedCaseEmail(i) ? ascii(`${first}.${last}${i}`) : `${handle(first, last)}${i}`;
  return { email: `${local}@${rng.pick(EMAIL_DOMAINS)}` };
}

/**
 * The optional fields. Values are drawn whether or not they are used, so each contact consumes a
 * fixed number of draws and tweaking one probability does not reshuffle every later contact.
 */
function extras(rng: Random, i: number, first: string, last: string): Partial<Freshchat.User> {
  const full = isFull(i);
  const phone = `+${rng.int(1, 99)}${rng.int(100_000_000, 999_999_999)}`;
  const avatarUrl = `https://cdn.example.com/avatars/${rng.hex(16)}.png`;
  const restoreId = rng.uuid();
  const orgContactId = rng.uuid();
  const props = rng.sample(PROPERTY_NAMES, rng.int(1, 3)).map((name) => ({ name, value: propertyValue(rng, name) }));
  const social = rng.sample(SOCIAL_TYPES, rng.int(1, 2)).map((type) => ({ type, id: handle(first, last) }));
  const out: Partial<Freshchat.User> = {};
  if (full || rng.chance(0.5)) out.phone = phone;
  if (full || rng.chance(0.4)) out.avatar = { url: avatarUrl };
  else if (rng.chance(0.5)) out.avatar = null;
  if (full || rng.chance(0.35)) out.properties = props;
  if (full || rng.chance(0.15)) out.social_profiles = social;
  if (contactShape.referenceId(i)) out.reference_id = referenceIdFor(i);
  if (full || rng.chance(0.3)) out.restore_id = restoreId;
  if (full || rng.chance(0.2)) out.org_contact_id = orgContactId;
  return out;
}

function propertyValue(rng: Random, name: string): string {
  switch (name) {
    case 'plan':
      return rng.pick(['free', 'growth', 'pro', 'enterprise']);
    case 'orderId':
      return `#${rng.int(1000, 99_999)}`;
    case 'tier':
      return rng.pick(['gold', 'silver', 'bronze']);
    default:
      return rng.hex(8);
  }
}
