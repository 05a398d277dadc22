/** The Freshchat emulator: default upstream of `npm start` and of the tests. */
export { startSandbox, DEFAULT_TOKEN } from './server.js';
export type { Sandbox, SandboxOptions, CallRecord } from './server.js';
export { createDataset } from './dataset.js';
export type { Dataset } from './dataset.js';
export type { Fault, FaultRule } from './faults.js';
export { contactShape, referenceIdFor, CONTACT_COUNT } from './contacts.js';
export { agentShape, AGENT_COUNT } from './agents.js';
export type { SandboxWebhooks, WebhookEvent } from './webhooks.js';
