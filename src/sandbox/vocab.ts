/** Word lists and time helpers shared by the dataset generators. */

/** Every generated timestamp is an offset from this fixed instant, never from the clock. */
export const EPOCH_MS = Date.UTC(2023, 0, 1);
export const DAY_MS = 86_400_000;
/** The span that contact and agent creation times are spread over (~2 years). */
export const SPAN_MS = 730 * DAY_MS;

/** ISO-8601 UTC with milliseconds, the format Freshchat sends (docs/freshchat-api.md#contacts). */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export const FIRST_NAMES = [
  'Denise', 'Govind', 'Amara', 'Lukas', 'Sofia', 'Kenji', 'Priya', 'Mateo', 'Olga', 'Tomasz',
  'Chloé', 'Yusuf', 'Ingrid', 'Rahul', 'Fatima', 'Diego', 'Hana', 'Noah', 'Zanele', 'Émile',
  'Aiko', 'Liam', 'Mei', 'Oskar', 'Leila', 'Sven', 'Ana', 'Kwame', 'Nora', 'José',
] as const;

export const LAST_NAMES = [
  'Patel', 'Müller', 'Okafor', 'Nakamura', 'García', 'Kowalski', 'Smith', 'Dubois', 'Rossi', 'Ivanova',
  'Haddad', 'Johansson', 'Nguyen', 'Silva', 'Kim', "O'Brien", 'Mensah', 'Fischer', 'Santos', 'Cohen',
] as const;

export const EMAIL_DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'Corp.Example.com'] as const;

export const LOCALES = ['en-us', 'en-gb', 'de-de', 'fr-fr', 'es-es', 'pt-br', 'ja-jp'] as const;

export const TIMEZONES = [
  'Asia/Kolkata', 'Europe/Berlin', 'Europe/London', 'America/New_York', 'America/Los_Angeles',
  'America/Sao_Paulo', 'Asia/Tokyo', 'Australia/Sydney', 'UTC',
] as const;

export const ROUTING_TYPES = ['OCR', 'INTELLIASSIGN', 'DISABLED'] as const;

export const SOCIAL_TYPES = ['facebook', 'twitter', 'skype', 'linkedin'] as const;

export const PROPERTY_NAMES = ['plan', 'orderId', 'company', 'tier', 'signupSource', 'cf_region'] as const;

/** Letters, digits and dots only (accents and apostrophes dropped), for e-mails and ids. */
export function ascii(text: string): string {
  return text.normalize('NFD').replace(/[^A-Za-z0-9.]/g, '');
}

/** Lowercase ASCII handle for e-mails and social ids, e.g. `chloe.obrien`. */
export function handle(...parts: string[]): string {
  return ascii(parts.join('.')).toLowerCase();
}
