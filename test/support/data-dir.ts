import { createPglite } from '../accounts/databases.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A DATA_DIR of its own for each server a test starts: the linked-accounts registry (PGlite) serves
 * one process at a time, and a test must never touch the repo's `.data/`.
 */
export const testDataDir = (): string => mkdtempSync(join(tmpdir(), 'subgraph-data-'));

/**
 * A DATA_DIR whose registry already exists (a copy of the migrated PGlite template), for a server whose
 * keyed writes would otherwise create it: that runs PGlite's initdb (seconds on a busy machine)
 * inside the test's first keyed request.
 */
export async function registryDataDir(): Promise<string> {
  return (await createPglite()).dataDir;
}
