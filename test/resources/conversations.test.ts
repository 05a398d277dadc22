import { describe, expect, it } from 'vitest';
import { toTicket, toTicketStatus } from '../../src/resources/conversations.js';
import { commentKey, parseCommentKey, toComment } from '../../src/resources/messages.js';
import { toMessagePart } from '../../src/resources/message-parts.js';

describe('toTicketStatus (docs/design.md#conversations-and-messages)', () => {
  it.each([
    ['new', 'OPEN'],
    ['reopened', 'OPEN'],
    ['assigned', 'IN_PROGRESS'],
    ['waiting on customer', 'WAITING'],
    ['Waiting on Internal Team', 'WAITING'],
    ['resolved', 'RESOLVED'],
    ['snoozed', null],
    [null, null],
  ])('maps %s to %s', (raw, status) => {
    expect(toTicketStatus(raw)).toBe(status);
  });
});

describe('toTicket', () => {
  it('keeps the raw status, reads the contact from user_id (else users[0]) and has no subject', () => {
    const ticket = toTicket({ conversation_id: 'c1', status: 'waiting on customer', users: [{ id: 'u9' }], conversation_internal_id: 42, properties: { priority: 'High', cf_n: 3 } }, 'acme');
    expect(ticket).toMatchObject({
      __typename: 'FreshchatTicket',
      remoteId: 'c1',
      status: 'WAITING',
      freshchatStatus: 'waiting on customer',
      subject: null,
      contactRemoteId: 'u9',
      assigneeRemoteId: null,
      internalId: '42',
      properties: [{ name: 'priority', value: 'High' }, { name: 'cf_n', value: '3' }],
    });
  });
});

describe('toComment', () => {
  it('joins the text parts with a newline into body and keeps every part in order', () => {
    const comment = toComment(
      { id: 'm1', actor_type: 'agent', actor_id: 'a1', message_type: 'private', message_parts: [{ text: { content: 'one' } }, { image: { url: 'https://x/i.png' } }, { text: { content: 'two' } }] },
      'c1',
      'acme',
    );
    expect(comment).toMatchObject({ body: 'one\ntwo', isPrivate: true, authorType: 'AGENT', agentRemoteId: 'a1', contactRemoteId: null, ticketRemoteId: 'c1' });
    expect(comment.parts.map((p) => p.kind)).toEqual(['TEXT', 'IMAGE', 'TEXT']);
  });

  it.each([
    ['user', 'CONTACT'],
    ['agent', 'AGENT'],
    ['bot', 'BOT'],
    ['system', 'SYSTEM'],
    ['martian', null],
  ])('maps actor_type %s to authorType %s', (actorType, authorType) => {
    expect(toComment({ id: 'm', actor_type: actorType }, 'c', 'acme').authorType).toBe(authorType);
  });

  it('has a null body when the message has no text', () => {
    expect(toComment({ id: 'm', message_parts: [{ file: { url: 'u', name: 'a.pdf' } }] }, 'c', 'acme').body).toBeNull();
  });
});

describe('toMessagePart', () => {
  it('maps a collection of quick replies recursively, and an unknown kind to OTHER with its raw part', () => {
    const part = toMessagePart({ collection: { sub_parts: [{ quick_reply_button: { label: 'Yes', payload: 'y', custom_reply_text: 'Yes!' } }] } });
    expect(part).toMatchObject({ kind: 'COLLECTION', parts: [{ kind: 'QUICK_REPLY_BUTTON', label: 'Yes', payload: 'y', customReplyText: 'Yes!' }] });
    expect(toMessagePart({ hologram: { x: 1 } } as never)).toMatchObject({ kind: 'OTHER', raw: { hologram: { x: 1 } } });
  });
});

describe('comment keys', () => {
  it('name the conversation and the message, and read back', () => {
    expect(parseCommentKey(commentKey('conv:1', 'm-2'))).toEqual({ conversationId: 'conv:1', messageId: 'm-2' });
    expect(parseCommentKey('no-separator')).toBeNull();
  });
});
