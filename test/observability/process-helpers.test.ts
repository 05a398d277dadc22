import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { prettyDestination } from '../../src/observability/pretty.js';
import { describeStartFailure, toListenError } from '../../src/process/listen.js';
import { loadDotEnv } from '../../src/process/start.js';

describe('loadDotEnv', () => {
  it('loads a present file without overriding variables already set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dotenv-unit-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'OPS_TEST_FROM_FILE=file\nOPS_TEST_ALREADY_SET=file\n');
    process.env.OPS_TEST_ALREADY_SET = 'env';
    try {
      expect(loadDotEnv(file)).toBe(true);
      expect(process.env.OPS_TEST_FROM_FILE).toBe('file');
      expect(process.env.OPS_TEST_ALREADY_SET).toBe('env');
    } finally {
      delete process.env.OPS_TEST_FROM_FILE;
      delete process.env.OPS_TEST_ALREADY_SET;
    }
  });

  it('is a no-op when there is no file', () => {
    expect(loadDotEnv(join(tmpdir(), 'no-such-dir', '.env'))).toBe(false);
  });

  it('is a no-op on a Node without process.loadEnvFile (before 20.12)', () => {
    const original = process.loadEnvFile;
    Object.defineProperty(process, 'loadEnvFile', { value: undefined, configurable: true, writable: true });
    try {
      expect(loadDotEnv('.env.example')).toBe(false);
    } finally {
      Object.defineProperty(process, 'loadEnvFile', { value: original, configurable: true, writable: true });
    }
  });
});

describe('start failure lines', () => {
  const inUse = Object.assign(new Error('listen EADDRINUSE: address already in use 0.0.0.0:4001'), { code: 'EADDRINUSE' });

  it('names the variable and the fault of a taken port', () => {
    expect(describeStartFailure(toListenError(inUse, 4001, '0.0.0.0', 'PORT'))).toBe(
      'PORT=4001: 0.0.0.0:4001 is already in use (EADDRINUSE); stop the other process or choose another port',
    );
  });

  it('keeps an unexpected error to its first line', () => {
    expect(describeStartFailure(new Error('boom\n    at somewhere'))).toBe('boom');
  });
});

describe('prettyDestination', () => {
  it.each([
    [{ production: true, isTTY: true }],
    [{ production: false, isTTY: false }],
    [{ production: false, isTTY: undefined }],
  ])('keeps JSON for %o', async (options) => {
    expect(await prettyDestination(options)).toBeUndefined();
  });

  it('pretty-prints in development on a terminal', async () => {
    const stream = await prettyDestination({ production: false, isTTY: true });
    expect(stream).toBeInstanceOf(Writable);
  });
});
