import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { walkOperation } from '../../src/hardening/operation-walk.js';
import { toGlobalId } from '../../src/relay/ids.js';
import { createSchema } from '../../src/schema.js';

const schema = createSchema();
const id = (typename: string, remoteId: string) => toGlobalId({ provider: 'freshchat', typename, accountId: 'acme', remoteId });

function estimate(query: string, variables: Record<string, unknown> = {}): number {
  const operation = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return walkOperation({ schema, operation, fragments: {}, variables, pageSize: 50 }).upstreamCalls;
}

// docs/design.md#the-upstream-call-budget, docs/design.md#conversations-and-messages: the pre-execution estimate of the ticket fields.
describe('upstream call estimate of tickets and comments', () => {
  it("counts a contact's tickets as the list plus one call per ticket of the window, and a history page per ticket", () => {
    expect(estimate(`{ freshchat { user(id: "${id('FreshchatUser', 'u')}") { tickets(first: 4) { nodes { comments(first: 5) { totalCount } } } } } }`)).toBe(1 + 1 + 4 + 4);
  });

  it('counts the authors of every comment once, as the joins DataLoader batches, not once per comment', () => {
    const query = `{ freshchat { ticket(id: "${id('FreshchatTicket', 't')}") {
      contact { name } assignee { name } assignedGroup { name }
      comments(first: 100) { nodes { agent { name } contact { name } } }
    } } }`;
    // ticket + history + contacts join + agents join + groups catalog
    expect(estimate(query)).toBe(1 + 1 + 1 + 1 + 1);
  });

  it('counts latestComments by the pages that hold them', () => {
    const ticket = id('FreshchatTicket', 't');
    expect(estimate(`{ freshchat { ticket(id: "${ticket}") { latestComments { body } } } }`)).toBe(1 + 1);
    expect(estimate(`{ freshchat { ticket(id: "${ticket}") { latestComments(first: 100) { body } } } }`)).toBe(1 + 2);
  });

  it('counts _entities per distinct ticket and comment', () => {
    const r = [id('FreshchatTicket', 'a'), id('FreshchatTicket', 'b'), id('FreshchatTicket', 'a'), id('FreshchatComment', 'a/m1')].map((value) => ({
      __typename: Buffer.from(value, 'base64url').toString().split(':')[2],
      id: value,
    }));
    expect(estimate(`query($r: [_Any!]!) { _entities(representations: $r) { ... on FreshchatTicket { status } } }`, { r })).toBe(3);
  });
});
