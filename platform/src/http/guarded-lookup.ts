import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { LumioError } from '../errors/index.js';
import { classifyAddress } from './private-address.js';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** The `lookup` hook signature of `net.connect` and `tls.connect`. */
export type LookupFunction = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/**
 * Wraps DNS resolution so a connection can only open to addresses that passed the
 * check. The socket connects to exactly the addresses this hook returns, so a DNS
 * answer that changes between check and connect (rebinding) cannot slip through.
 * Every resolved address must be public, and one private address rejects the host.
 */
export function createGuardedLookup(resolve: LookupFunction = dnsLookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options, (error, address, family) => {
      if (error) {
        callback(error, address, family);
        return;
      }

      const addresses = typeof address === 'string' ? [address] : address.map((entry) => entry.address);
      for (const candidate of addresses) {
        const range = classifyAddress(candidate);
        if (range !== undefined) {
          callback(destinationNotAllowed(hostname, candidate, range), address, family);
          return;
        }
      }
      callback(null, address, family);
    });
  };
}

/** Builds the `DESTINATION_NOT_ALLOWED` error for a host that resolves to a non-public address. */
export function destinationNotAllowed(host: string, address: string, range: string): LumioError {
  const resolved = host === address ? '' : ` resolves to ${address}, which`;
  return new LumioError(
    'DESTINATION_NOT_ALLOWED',
    `The host "${host}"${resolved} is a ${range} address that connector requests may not reach; point the connection at a public host.`,
    { status: 502, fault: 'connector', details: { host, address, range } },
  );
}
