// Parsers for the kinds of value Parley's variables take: on/off flags, ports, relay intervals, listen hosts.
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

export const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
    error: 'expected 1/0, true/false, yes/no or on/off',
  })
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

export const port = z.coerce.number({ error: 'expected a port number' }).int().min(0).max(65_535);

/** How long relays of one kind (typing, presence) are coalesced; 0 relays every signal. */
export const relayInterval = z.coerce
  .number({ error: 'expected milliseconds' })
  .int()
  .min(0)
  .max(60_000)
  .default(2000);

/** Whether a listen host is reachable from this machine only. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || (ipaddr.isValid(host) && ipaddr.parse(host).range() === 'loopback');
}
