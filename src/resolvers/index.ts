import type { Resolvers } from '../__generated__/resolvers-types.js';
import { FreshchatQuery } from './freshchat-query.js';
import { FreshchatGroup } from './group.js';
import { interfaces } from './interfaces.js';
import { FreshchatSetTicketingUserAvailabilityPayload, Mutation } from './mutation.js';
import { Query } from './query.js';
import { FreshchatRole } from './role.js';
import { DateTime, JSON } from './scalars.js';
import { FreshchatTicketingUser } from './ticketing-user.js';
import { FreshchatUser } from './user.js';
import { FreshchatTicket } from './ticket.js';
import { FreshchatComment } from './comment.js';
import { FreshchatChannel } from './channel.js';
import { HelpdeskChange, HelpdeskChangeConnection } from './change.js';
import { TicketMutations } from './ticket-mutations.js';

export const resolvers: Resolvers = {
  ...interfaces,
  DateTime,
  JSON,
  Query,
  Mutation: { ...Mutation, ...TicketMutations },
  FreshchatSetTicketingUserAvailabilityPayload,
  FreshchatQuery,
  FreshchatUser,
  FreshchatGroup,
  FreshchatRole,
  FreshchatTicketingUser,
  FreshchatTicket,
  FreshchatComment,
  FreshchatChannel,
  HelpdeskChange,
  HelpdeskChangeConnection,
};
