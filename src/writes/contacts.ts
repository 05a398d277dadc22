/** Contact writes (docs/design.md#writes-and-idempotency): validate, send once, prime this request's loaders, build the payload. */
import type {
  FreshchatUpdateUserInput,
  MutationFreshchatCreateUserArgs,
  MutationFreshchatDeleteUserArgs,
  MutationFreshchatUpdateUserArgs,
} from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { createUser, deleteUser, toUser, toUserWrite, updateUser } from '../resources/contacts.js';
import { idOf } from '../resources/fields.js';
import { contactCreated, contactDeleted as contactDeletion, contactUpdated } from '../sync/write-changes.js';
import { contactDeleted, contactWritten } from './effects.js';
import type { WriteTarget } from './outcome.js';
import type { DeletePayloadModel, UserPayloadModel } from '../models.js';
import { failed } from './payloads.js';
import { invalidId, performWrite, targetOf } from './perform.js';
import { validateContact, validateIdempotencyKey } from './validate.js';

const CONTACT: WriteTarget = {
  what: 'contact',
  idField: ['id'],
  inputField: ['input'],
  conflict: 'Freshchat refused the contact because it conflicts with another one (an email or externalId already taken)',
};

/** The unified fields an update sets (a name sets `name` too), for its change (docs/sync.md). */
function fieldsSet(input: FreshchatUpdateUserInput): string[] {
  const fields: Record<keyof FreshchatUpdateUserInput, readonly string[]> = {
    firstName: ['firstName', 'name'],
    lastName: ['lastName', 'name'],
    email: ['emails'],
    phone: ['phones'],
    externalId: ['externalId'],
    avatarUrl: ['avatarUrl'],
    customFields: ['customFields'],
  };
  return [...new Set(Object.entries(fields).flatMap(([key, names]) => (input[key as keyof FreshchatUpdateUserInput] == null ? [] : names)))];
}

export async function createContact(ctx: Context, { accountId, input, idempotencyKey }: MutationFreshchatCreateUserArgs): Promise<UserPayloadModel> {
  const problems = [...validateIdempotencyKey(idempotencyKey), ...validateContact(input)];
  if (problems.length > 0) return failed.user(problems);
  const loaders = await ctx.accounts.choose(accountId);
  const { account } = loaders;
  return performWrite(ctx, {
    account,
    idempotencyKey,
    describes: { mutation: 'freshchatCreateUser', input },
    target: { ...CONTACT, idField: null },
    failed: failed.user,
    async send() {
      const user = toUser(await createUser(loaders.resources.client, toUserWrite(input)), account.id);
      contactWritten(loaders, user, true);
      await ctx.sync?.recordWrite(contactCreated(user));
      return { user, userErrors: [] };
    },
  });
}

export async function updateContact(ctx: Context, { id, input, idempotencyKey }: MutationFreshchatUpdateUserArgs): Promise<UserPayloadModel> {
  const problems = [...validateIdempotencyKey(idempotencyKey), ...validateContact(input)];
  if (problems.length > 0) return failed.user(problems);
  const target = await targetOf(ctx, id, 'FreshchatUser');
  if (!target) return failed.user([invalidId('FreshchatUser')]);
  const { loaders } = target;
  return performWrite(ctx, {
    account: target.account,
    idempotencyKey,
    describes: { mutation: 'freshchatUpdateUser', id: target.remoteId, input },
    target: CONTACT,
    failed: failed.user,
    async send() {
      const user = toUser(await updateUser(loaders.resources.client, target.remoteId, toUserWrite(input)), target.account.id);
      contactWritten(loaders, user, false);
      await ctx.sync?.recordWrite(contactUpdated(user, fieldsSet(input)));
      return { user, userErrors: [] };
    },
  });
}

export async function deleteContact(ctx: Context, { id, idempotencyKey }: MutationFreshchatDeleteUserArgs): Promise<DeletePayloadModel> {
  const problems = validateIdempotencyKey(idempotencyKey);
  if (problems.length > 0) return failed.deletion(problems);
  const target = await targetOf(ctx, id, 'FreshchatUser');
  if (!target) return failed.deletion([invalidId('FreshchatUser')]);
  const { loaders } = target;
  return performWrite(ctx, {
    account: target.account,
    idempotencyKey,
    describes: { mutation: 'freshchatDeleteUser', id: target.remoteId },
    target: { ...CONTACT, inputField: null },
    failed: failed.deletion,
    async send() {
      const status = await deleteUser(loaders.resources.client, target.remoteId);
      contactDeleted(loaders, target.remoteId, status === 'DONE');
      await ctx.sync?.recordWrite(contactDeletion(target.account.id, target.remoteId, status === 'DONE'));
      return { deletedId: idOf('FreshchatUser', target.account.id, target.remoteId), status, userErrors: [] };
    },
  });
}
