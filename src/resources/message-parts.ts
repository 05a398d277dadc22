/**
 * Freshchat message parts (docs/freshchat-api.md#messages): each part is an object with
 * exactly one key naming its kind. Mapped eagerly to FreshchatMessagePart; unknown kinds keep their raw part.
 */
import type { MessagePartKindModel, MessagePartModel } from '../models.js';
import { remote, text } from './fields.js';

/** docs/freshchat-api.md#messages: a part is an object with exactly one key naming its kind. */
export interface MessagePart {
  text?: { content?: string | null } | null;
  image?: { url?: string | null } | null;
  file?: { url?: string | null; name?: string | null; content_type?: string | null; file_size_in_bytes?: number | null } | null;
  video?: { url?: string | null; content_type?: string | null } | null;
  email?: { content?: string | null; subject?: string | null } | null;
  url_button?: { url?: string | null; label?: string | null; target?: string | null } | null;
  quick_reply_button?: { label?: string | null; custom_reply_text?: string | null; payload?: string | null } | null;
  callback?: { label?: string | null; payload?: string | null } | null;
  collection?: { sub_parts?: MessagePart[] | null } | null;
  reference?: { label?: string | null; reference_id?: string | null; placeholder_reference_id?: string | null } | null;
  template_content?: Record<string, unknown> | null;
}

const KINDS: readonly [keyof MessagePart, MessagePartKindModel][] = [
  ['text', 'TEXT'], ['image', 'IMAGE'], ['file', 'FILE'], ['video', 'VIDEO'], ['email', 'EMAIL'],
  ['url_button', 'URL_BUTTON'], ['quick_reply_button', 'QUICK_REPLY_BUTTON'], ['callback', 'CALLBACK'],
  ['collection', 'COLLECTION'], ['reference', 'REFERENCE'], ['template_content', 'TEMPLATE'],
];

const EMPTY_PART = {
  text: null, subject: null, url: null, name: null, contentType: null, fileSizeInBytes: null,
  label: null, payload: null, customReplyText: null, target: null, parts: [],
} as const;

export function toMessagePart(raw: MessagePart): MessagePartModel {
  const kind = KINDS.find(([key]) => raw?.[key] != null)?.[1] ?? 'OTHER';
  const base: MessagePartModel = { ...EMPTY_PART, parts: [], kind, raw: remote(raw ?? {}) };
  const p = raw ?? {};
  switch (kind) {
    case 'TEXT': return { ...base, text: text(p.text?.content) };
    case 'EMAIL': return { ...base, text: text(p.email?.content), subject: text(p.email?.subject) };
    case 'IMAGE': return { ...base, url: text(p.image?.url) };
    case 'VIDEO': return { ...base, url: text(p.video?.url), contentType: text(p.video?.content_type) };
    case 'FILE': {
      const file = p.file ?? {};
      const size = typeof file.file_size_in_bytes === 'number' ? file.file_size_in_bytes : null;
      return { ...base, url: text(file.url), name: text(file.name), contentType: text(file.content_type), fileSizeInBytes: size };
    }
    case 'URL_BUTTON': return { ...base, url: text(p.url_button?.url), label: text(p.url_button?.label), target: text(p.url_button?.target) };
    case 'QUICK_REPLY_BUTTON': {
      const button = p.quick_reply_button ?? {};
      return { ...base, label: text(button.label), payload: text(button.payload), customReplyText: text(button.custom_reply_text) };
    }
    case 'CALLBACK': return { ...base, label: text(p.callback?.label), payload: text(p.callback?.payload) };
    case 'REFERENCE': return { ...base, label: text(p.reference?.label), payload: text(p.reference?.reference_id) };
    case 'COLLECTION': return { ...base, parts: toMessageParts(p.collection?.sub_parts) };
    default: return base;
  }
}

export const toMessageParts = (raw: MessagePart[] | null | undefined): MessagePartModel[] =>
  (Array.isArray(raw) ? raw : []).filter((part) => typeof part === 'object' && part !== null).map(toMessagePart);

