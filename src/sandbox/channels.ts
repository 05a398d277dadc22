import type * as Freshchat from '../resources/wire.js';
import type { Topic } from './conversations.js';
import type { Random } from './random.js';
import { DAY_MS, EPOCH_MS, iso } from './vocab.js';

/**
 * The account's channels (topics, `GET /v2/channels`). The seeded conversations live in the first
 * three (their `channel_id`s), which are enabled and public; two more show what a real account has
 * beside them: a German channel (`locale=de`) and a disabled, private one no conversation uses.
 */
const EXTRA = [
  { name: 'Support DE', locale: 'de', enabled: true, public: true, tags: ['support', 'de'] },
  { name: 'Legacy support', locale: 'en', enabled: false, public: false, tags: ['legacy'] },
] as const;

const WELCOME: Readonly<Record<string, string>> = {
  Support: 'Hi! Tell us what went wrong and we will help.',
  Billing: 'Questions about an invoice or a refund? Ask away.',
  Sales: 'Looking for the right plan? Let us talk.',
  'Support DE': 'Hallo! Wie können wir helfen?',
};

/** Drawn after the conversations, so adding channels left every earlier value of the dataset as it was. */
export function createChannels(rng: Random, topics: readonly Topic[]): Freshchat.Channel[] {
  const seeded = topics.map((topic) => ({ ...topic, locale: 'en', enabled: true, public: true, tags: [topic.name.toLowerCase()] }));
  const extra = EXTRA.map((channel) => ({ ...channel, id: rng.uuid(), tags: [...channel.tags] }));
  return [...seeded, ...extra].map((channel, i) => ({
    id: channel.id,
    name: channel.name,
    icon: { url: `https://sandbox.freshchat.invalid/icons/${channel.id}.png` },
    tags: channel.tags,
    public: channel.public,
    enabled: channel.enabled,
    source: i === 0 ? 'WEBCHAT' : 'FRESHCHAT',
    locale: channel.locale,
    updated_time: iso(EPOCH_MS + (30 + 7 * i) * DAY_MS),
    welcome_message: WELCOME[channel.name] === undefined ? null : { message_parts: [{ text: { content: WELCOME[channel.name] } }], message_type: 'normal' },
  }));
}
