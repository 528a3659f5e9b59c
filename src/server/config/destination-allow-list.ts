// The allow-lists of outgoing requests (`PARLEY_WEBHOOK_ALLOW`, `PARLEY_PUSH_ALLOW`): the destinations an
// operator admits on their own network.
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import type { DestinationAllowList } from '../domain/outbound/destinations.ts';

/** Whether `entry` is a host name exactly as a URL's host carries it (lowercase, punycode, not an address). */
function isUrlHostName(entry: string): boolean {
  return (
    !entry.startsWith('[') &&
    URL.canParse(`http://${entry}/`) &&
    new URL(`http://${entry}/`).hostname === entry
  );
}

/**
 * Comma-separated host names and CIDR ranges; a bare address is a range of one. A malformed range refuses
 * to start rather than silently admitting nothing (or too much). Addresses must be written in full:
 * ipaddr.js would read `10.1/16` as 10.0.0.1/16, not the 10.1.0.0/16 meant.
 */
export const destinationAllowList = z.string().transform((value, context): DestinationAllowList => {
  const allow: DestinationAllowList = { hosts: [], ranges: [] };
  for (const entry of value.split(',').map((part) => part.trim().toLowerCase())) {
    if (entry === '') continue;
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    if (family !== 0 && bits === undefined)
      allow.ranges.push(ipaddr.parseCIDR(`${address}/${family === 4 ? 32 : 128}`));
    else if (family !== 0 && rest.length === 0 && ipaddr.isValidCIDR(entry))
      allow.ranges.push(ipaddr.parseCIDR(entry));
    else if (bits === undefined && isUrlHostName(entry)) allow.hosts.push(entry);
    else
      context.issues.push({
        code: 'custom',
        input: value,
        message: `'${entry}' is neither a host name nor a CIDR range (expected e.g. hooks.internal.example, 10.20.0.0/16)`,
      });
  }
  return allow;
});
