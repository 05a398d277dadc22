import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isPublicAddress, type Resolve, type UrlPolicy } from './url-policy.js';

/** A connection refused because its host resolved to an address webhooks may not reach. */
export class AddressRefusedError extends Error {
  readonly code = 'ERR_WEBHOOK_ADDRESS_REFUSED';
  constructor(hostname: string, address: string) {
    super(`refused: ${hostname} resolves to ${address}, which is not a public address`);
    this.name = 'AddressRefusedError';
  }
}

/**
 * The `lookup` of every webhook connection: the name is resolved here, once, and the connection goes
 * to exactly the addresses judged, so a name that resolves inside (or is rebound between registration
 * and sending) is refused before any byte is sent. IP literals never reach a lookup; UrlPolicy.refusal
 * judges them before the request.
 */
export function createGuardedLookup(policy: Pick<UrlPolicy, 'needsPublicAddress'>, resolve: Resolve): LookupFunction {
  return (hostname, options: LookupOptions, callback) => {
    resolve(hostname).then(
      (resolved) => {
        const addresses = resolved.filter((a) => wanted(a, options.family));
        if (policy.needsPublicAddress(hostname)) {
          const inside = addresses.find((a) => !isPublicAddress(a.address));
          if (inside) return callback(new AddressRefusedError(hostname, inside.address), '');
        }
        const first = addresses[0];
        if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
        if (options.all) return callback(null, addresses as LookupAddress[]);
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

function wanted(address: { family: number }, family: LookupOptions['family']): boolean {
  if (family === 4 || family === 'IPv4') return address.family === 4;
  if (family === 6 || family === 'IPv6') return address.family === 6;
  return true;
}
