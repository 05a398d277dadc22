/** The FreshchatErrors the resilience layer fails an attempt with, before anything is sent. */
import { FreshchatError } from '../errors.js';

/** RATE_LIMITED with the whole seconds to wait (at least 1), for `extensions.retryAfter`. */
export function rateLimited(waitMs: number, message: string): FreshchatError {
  return new FreshchatError('RATE_LIMITED', message, { retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) });
}

export function quotaSpent(waitMs: number): FreshchatError {
  return rateLimited(waitMs, "This Freshchat account's request quota is spent until after the request deadline");
}

export function tooManyWaiting(): FreshchatError {
  return rateLimited(1000, 'Too many calls to this Freshchat account are already waiting');
}

/** UNAVAILABLE, with the whole seconds (at least 1) until the circuit lets a probe through. */
export function circuitOpen(family: string, msUntilProbe: number): FreshchatError {
  const retryAfter = Math.max(1, Math.ceil(msUntilProbe / 1000));
  return new FreshchatError('UNAVAILABLE', `Freshchat /${family} calls are paused after repeated failures (circuit open)`, { retryAfter });
}
