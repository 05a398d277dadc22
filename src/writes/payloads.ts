/**
 * What mutation resolvers return as payloads, before GraphQL selects from them. Every payload is
 * plain JSON (models included), because an idempotency key stores it and replays it as it was.
 */
import type { TicketingUserModel, UserModel } from '../models.js';

export interface UserErrorModel {
  field: string[] | null;
  message: string;
  code: string;
}

export interface UserPayloadModel {
  user: UserModel | null;
  userErrors: UserErrorModel[];
}

export interface DeletePayloadModel {
  deletedId: string | null;
  status: 'DONE' | 'PENDING' | null;
  userErrors: UserErrorModel[];
}

/**
 * Freshchat answers an availability change with the changed fields only, so the payload names the
 * agent and its field reads it again (a read, never a second write, when the payload is replayed).
 */
export interface AvailabilityPayloadModel {
  agent: { accountId: string; remoteId: string } | null;
  userErrors: UserErrorModel[];
}

export type PayloadModel = UserPayloadModel | DeletePayloadModel | AvailabilityPayloadModel;

/** A payload that only reports problems: the object fields are null. */
export const failed = {
  user: (userErrors: UserErrorModel[]): UserPayloadModel => ({ user: null, userErrors }),
  deletion: (userErrors: UserErrorModel[]): DeletePayloadModel => ({ deletedId: null, status: null, userErrors }),
  availability: (userErrors: UserErrorModel[]): AvailabilityPayloadModel => ({ agent: null, userErrors }),
};

export type Failed = typeof failed;
