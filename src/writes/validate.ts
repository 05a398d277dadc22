/**
 * Checks a mutation's input before anything is sent (docs/design.md#writes-and-idempotency): every problem found is a
 * `userErrors` entry naming its field, so a caller fixes them all at once and Freshchat never sees
 * input it would refuse with a 400 (or that would make its URL too long).
 */
import { CONTACT_LIMITS, PROPERTY_NAME, type ContactInput } from '../resources/contacts.js';
import type { UserErrorModel } from '../models.js';

export const MAX_IDEMPOTENCY_KEY = 255;

// One `@`, a local part without spaces or quotes, a domain of dot-separated DNS labels.
const EMAIL = /^[^\s@"(),:;<>[\\\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const PHONE = /^\+?[0-9][0-9 ().-]*$/;

type Check = (value: string, field: string[]) => UserErrorModel | undefined;

const problem = (field: string[], code: string, message: string): UserErrorModel => ({ field, code, message });

const maxLength = (max: number): Check => (value, field) =>
  value.length > max ? problem(field, 'TOO_LONG', `\`${field.at(-1)}\` is longer than ${max} characters.`) : undefined;

const notBlank: Check = (value, field) =>
  value.trim() === '' ? problem(field, 'BLANK', `\`${field.at(-1)}\` must not be blank (leave it out instead).`) : undefined;

const email: Check = (value, field) =>
  EMAIL.test(value) ? undefined : problem(field, 'INVALID_EMAIL', 'Not an email address such as `ada@example.com`.');

const phone: Check = (value, field) => {
  const digits = value.replace(/\D/g, '').length;
  return PHONE.test(value) && digits >= 3 ? undefined : problem(field, 'INVALID_PHONE', 'Not a phone number: digits, with an optional leading `+`, spaces, dots, dashes and parentheses.');
};

const httpUrl: Check = (value, field) => {
  const protocol = URL.canParse(value) ? new URL(value).protocol : '';
  return protocol === 'https:' || protocol === 'http:' ? undefined : problem(field, 'INVALID_URL', 'Not an http(s) URL.');
};

/** The checks of each text field of a contact, in order; the first failing one is reported. */
const CONTACT_FIELDS: Record<'firstName' | 'lastName' | 'email' | 'phone' | 'externalId' | 'avatarUrl', Check[]> = {
  firstName: [notBlank, maxLength(CONTACT_LIMITS.name)],
  lastName: [notBlank, maxLength(CONTACT_LIMITS.name)],
  email: [maxLength(CONTACT_LIMITS.email), email],
  phone: [maxLength(CONTACT_LIMITS.phone), phone],
  externalId: [notBlank, maxLength(CONTACT_LIMITS.referenceId)],
  avatarUrl: [maxLength(CONTACT_LIMITS.avatarUrl), httpUrl],
};

function firstProblem(checks: Check[], value: string, field: string[]): UserErrorModel | undefined {
  for (const check of checks) {
    const found = check(value, field);
    if (found) return found;
  }
  return undefined;
}

/** Problems of a contact's create or update input; [] when it may be sent. */
export function validateContact(input: ContactInput, root = 'input'): UserErrorModel[] {
  const errors: UserErrorModel[] = [];
  let given = 0;
  for (const [name, checks] of Object.entries(CONTACT_FIELDS)) {
    const value = input[name as keyof typeof CONTACT_FIELDS];
    if (value == null) continue;
    given += 1;
    const found = firstProblem(checks, value, [root, name]);
    if (found) errors.push(found);
  }
  if (input.customFields != null) {
    given += 1;
    errors.push(...validateCustomFields(input.customFields, [root, 'customFields']));
  }
  if (given === 0) errors.push(problem([root], 'REQUIRED', 'Give at least one field.'));
  return errors;
}

function validateCustomFields(fields: readonly { name: string; value: string }[], at: string[]): UserErrorModel[] {
  if (fields.length > CONTACT_LIMITS.properties) {
    return [problem(at, 'TOO_MANY', `At most ${CONTACT_LIMITS.properties} custom fields at once.`)];
  }
  const errors: UserErrorModel[] = [];
  const seen = new Set<string>();
  fields.forEach(({ name, value }, i) => {
    const field = [...at, String(i)];
    if (name.length > CONTACT_LIMITS.propertyName) errors.push(problem([...field, 'name'], 'TOO_LONG', `\`name\` is longer than ${CONTACT_LIMITS.propertyName} characters.`));
    else if (!PROPERTY_NAME.test(name)) errors.push(problem([...field, 'name'], 'INVALID_PROPERTY_NAME', 'A property name is a letter, then letters, digits or underscores.'));
    else if (seen.has(name)) errors.push(problem([...field, 'name'], 'DUPLICATE_PROPERTY', `The property \`${name}\` is given twice.`));
    seen.add(name);
    const tooLong = maxLength(CONTACT_LIMITS.propertyValue)(value, [...field, 'value']);
    if (tooLong) errors.push(tooLong);
  });
  return errors;
}

/** An idempotency key is 1 to 255 characters; absent means none. */
export function validateIdempotencyKey(key: string | null | undefined): UserErrorModel[] {
  if (key == null) return [];
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY) {
    return [problem(['idempotencyKey'], 'INVALID_IDEMPOTENCY_KEY', `\`idempotencyKey\` must be 1 to ${MAX_IDEMPOTENCY_KEY} characters.`)];
  }
  return [];
}
