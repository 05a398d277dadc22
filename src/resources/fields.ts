import type { EmailModel, NodeModel, RemoteData, SocialProfileModel } from '../models.js';
import { toGlobalId } from '../relay/ids.js';
import type * as Freshchat from '../freshchat/wire.js';

/**
 * What the resource mappers share. Mappers are pure and total: every field Freshchat sends
 * (docs/freshchat-api.md) lands in a unified field, a Freshchat-only field of the concrete type, or
 * `remoteData` (the raw object, kept by reference so it costs nothing unless selected). Missing and
 * null fields become null or [].
 */

export const PROVIDER = 'freshchat';

export const idOf = (typename: NodeModel['__typename'], accountId: string, remoteId: string): string =>
  toGlobalId({ provider: PROVIDER, typename, accountId, remoteId });

export const text = (value: string | null | undefined): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;

export const remote = (raw: object): RemoteData => raw as RemoteData;

const fullName = (first: string | null, last: string | null): string | null =>
  [first, last].filter((part) => part !== null).join(' ') || null;

const primaryEmail = (address: string | null | undefined): EmailModel[] => {
  const value = text(address);
  return value === null ? [] : [{ address: value, type: null, isPrimary: true }];
};

const socialProfiles = (raw: Freshchat.SocialProfile[] | null | undefined): SocialProfileModel[] =>
  (raw ?? [])
    .filter((p) => typeof p?.type === 'string')
    .map((p) => ({ type: p.type, handle: text(p.id) }));

/** The fields agents and contacts share. */
export function personFields(raw: Freshchat.Person) {
  const firstName = text(raw.first_name);
  const lastName = text(raw.last_name);
  return {
    remoteId: raw.id,
    name: fullName(firstName, lastName),
    firstName,
    lastName,
    emails: primaryEmail(raw.email),
    avatarUrl: text(raw.avatar?.url),
    createdAt: text(raw.created_time),
    loginStatus: raw.login_status ?? null,
    socialProfiles: socialProfiles(raw.social_profiles),
    remoteData: remote(raw),
  };
}
