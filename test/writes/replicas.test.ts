import { createMemoryIdempotencyStore } from '../../src/idempotency/store.js';
import { replicaRaceSuite } from './replica-race.js';

replicaRaceSuite('one in-process store', async () => ({ store: createMemoryIdempotencyStore(), close: async () => undefined }));
