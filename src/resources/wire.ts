/**
 * Freshchat's wire types gathered under one `Freshchat` namespace import: each resource module's
 * own types and the envelope pieces every list shares, so the sandbox emulates exactly the wire
 * the client decodes. Only src/resources/ and src/sandbox/ import it.
 */
export type { Agent, AgentList, AgentListQuery, AgentStatus, AvailabilityStatus } from './agents.js';
export type { User, UserList, UserListQuery, Property } from './contacts.js';
export type { Group, GroupList } from './groups.js';
export type { Role, RoleList } from './roles.js';
export type { Channel, ChannelList } from './channels.js';
export type { Conversation, ConversationIdList } from './conversations.js';
export type { ActorType, Message, MessageList, MessagePart, MessageType } from './messages.js';
export type { PageQuery } from '../freshchat/page.js';
export type * from '../freshchat/wire.js';
