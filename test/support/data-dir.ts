import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A DATA_DIR of its own for each server a test starts: the linked-accounts registry (PGlite) serves
 * one process at a time, and a test must never touch the repo's `.data/`.
 */
export const testDataDir = (): string => mkdtempSync(join(tmpdir(), 'subgraph-data-'));
