import { describe, expect, it, vi } from 'vitest';
import { createPageCache } from '../../src/loaders/page-cache.js';

const TTL = 5_000;

function setup(ttlMs = TTL) {
  let now = 1_000_000;
  const cache = createPageCache({ ttlMs, resources: ['agents'], now: () => now });
  let n = 0;
  const load = vi.fn(async () => `page #${++n}`);
  return { cache, load, advance: (ms: number) => void (now += ms) };
}

describe('page cache', () => {
  it('serves a page loaded within the TTL without loading it again', async () => {
    const { cache, load } = setup();
    expect(await cache.get('acme', 'agents', 'page=1', load)).toBe('page #1');
    expect(await cache.get('acme', 'agents', 'page=1', load)).toBe('page #1');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('loads the page again once the TTL has passed', async () => {
    const { cache, load, advance } = setup();
    await cache.get('acme', 'agents', 'page=1', load);
    advance(TTL - 1);
    expect(await cache.get('acme', 'agents', 'page=1', load)).toBe('page #1');
    advance(1);
    expect(await cache.get('acme', 'agents', 'page=1', load)).toBe('page #2');
  });

  it('keeps each account its own pages', async () => {
    const { cache, load } = setup();
    expect(await cache.get('acme', 'agents', 'page=1', load)).toBe('page #1');
    expect(await cache.get('globex', 'agents', 'page=1', load)).toBe('page #2');
    expect(await cache.get('acme', 'agents', 'page=1', load)).toBe('page #1');
  });

  it('keeps each query string its own page', async () => {
    const { cache, load } = setup();
    await cache.get('acme', 'agents', 'page=1', load);
    expect(await cache.get('acme', 'agents', 'page=2', load)).toBe('page #2');
  });

  it('forgets an account\'s pages of a resource when invalidated, and only that account\'s', async () => {
    const { cache, load } = setup();
    await cache.get('acme', 'agents', 'page=1', load);
    await cache.get('globex', 'agents', 'page=1', load);
    cache.invalidate('acme', 'agents');
    expect(await cache.get('acme', 'agents', 'page=1', load)).toBe('page #3');
    expect(await cache.get('globex', 'agents', 'page=1', load)).toBe('page #2');
  });

  it('does not keep a page whose load was under way when the resource was invalidated', async () => {
    const { cache } = setup();
    let release!: (value: string) => void;
    const slow = cache.get('acme', 'agents', 'page=1', () => new Promise<string>((resolve) => (release = resolve)));
    cache.invalidate('acme');
    release('before the write');
    expect(await slow).toBe('before the write');
    expect(await cache.get('acme', 'agents', 'page=1', async () => 'after the write')).toBe('after the write');
  });

  it('does not keep a failed load', async () => {
    const { cache, load } = setup();
    await expect(cache.get('acme', 'agents', 'page=1', () => Promise.reject(new Error('429')))).rejects.toThrow('429');
    expect(await cache.get('acme', 'agents', 'page=1', load)).toBe('page #1');
  });

  it('passes every load through when its TTL is 0 (the default)', async () => {
    const { cache, load } = setup(0);
    await cache.get('acme', 'agents', 'page=1', load);
    await cache.get('acme', 'agents', 'page=1', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('passes through the resources it was not asked to cache', async () => {
    const { cache, load } = setup();
    await cache.get('acme', 'users', 'page=1', load);
    await cache.get('acme', 'users', 'page=1', load);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
