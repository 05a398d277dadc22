import type * as Freshchat from '../resources/wire.js';
import type { Dataset } from './dataset.js';
import { invalidValue } from './paging.js';

/** The part kinds docs/freshchat-api.md#messages lists; a part is an object with exactly one of these keys. */
const PART_KINDS = new Set([
  'text', 'image', 'file', 'video', 'email', 'url_button', 'quick_reply_button', 'callback', 'collection', 'reference', 'template_content',
]);

type MessageFields = Pick<Freshchat.Message, 'actor_type' | 'actor_id' | 'message_type' | 'message_parts' | 'reply_parts'>;

function validatePart(part: unknown, where: string): Freshchat.MessagePart {
  if (typeof part !== 'object' || part === null || Array.isArray(part)) throw invalidValue(`${where} must be an object`);
  const keys = Object.keys(part);
  if (keys.length !== 1 || !PART_KINDS.has(keys[0]!)) throw invalidValue(`${where} must have exactly one of: ${[...PART_KINDS].join(', ')}`);
  const text = (part as Freshchat.MessagePart).text;
  if (keys[0] === 'text' && (typeof text?.content !== 'string' || text.content.trim() === '')) {
    throw invalidValue(`${where}.text.content must be a non-empty string`);
  }
  return part;
}

function validateParts(value: unknown, name: string, required: boolean): Freshchat.MessagePart[] | undefined {
  if (value === undefined && !required) return undefined;
  if (!Array.isArray(value) || (required && value.length === 0)) throw invalidValue(`${name} must be a non-empty array`);
  return value.map((part, i) => validatePart(part, `${name}[${i}]`));
}

/**
 * A message as `POST /conversations/{id}/messages` and `POST /conversations` take it (docs/freshchat-api.md#messages):
 * an agent must exist and be active, a user must be the conversation's contact, and only an agent
 * writes private notes. `system` messages are Freshchat's own and cannot be sent.
 */
export function validateMessage(dataset: Dataset, contactId: string | null, body: Record<string, unknown>): MessageFields {
  const parts = validateParts(body.message_parts, 'message_parts', true)!;
  const replyParts = validateParts(body.reply_parts, 'reply_parts', false);
  const actorType = body.actor_type ?? 'bot';
  if (actorType !== 'agent' && actorType !== 'user' && actorType !== 'bot') throw invalidValue('actor_type must be agent, user or bot');
  const actorId = body.actor_id;
  if (actorId !== undefined && typeof actorId !== 'string') throw invalidValue('actor_id must be a string');
  if (actorType === 'agent' && !dataset.agents.some((a) => a.id === actorId && !a.is_deactivated)) {
    throw invalidValue('actor_id must name an active agent');
  }
  if (actorType === 'user' && (actorId === undefined || actorId !== contactId)) throw invalidValue("actor_id must be the conversation's user");
  const messageType = body.message_type ?? 'normal';
  if (messageType !== 'normal' && messageType !== 'private') throw invalidValue('message_type must be normal or private');
  if (messageType === 'private' && actorType !== 'agent') throw invalidValue('only an agent can write a private message');
  return {
    actor_type: actorType,
    actor_id: actorId ?? null,
    message_type: messageType,
    message_parts: parts,
    ...(replyParts ? { reply_parts: replyParts } : {}),
  };
}
