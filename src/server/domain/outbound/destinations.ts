// Where Parley's outgoing requests (webhook deliveries, web push) may go: public unicast addresses only,
// unless the operator's allow-list for that kind of request admits the host name or a range holding the
// address (docs/webhooks.md, decision 007). Checked when a destination is registered and again on every
// address a request connects to, so that a name re-pointed later gains nothing.
import { lookup as systemLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ParleyError } from '../../../protocol/errors.ts';

type AddressRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** What an allow-list (`PARLEY_WEBHOOK_ALLOW`, `PARLEY_PUSH_ALLOW`) admits besides public addresses. */
export interface DestinationAllowList {
  /** Lowercase host names, admitted whatever they resolve to; compared with a URL's host exactly. */
  hosts: string[];
  /** Admitted ranges, matched against the address connected to (an IP-literal URL's own address included). */
  ranges: AddressRange[];
}

/** Every address a host name points to now. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

export const resolveWithSystem: ResolveHost = async (hostname) =>
  (await systemLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** ipaddr.js names every IPv6 address it has no other name for `unicast`; only 2000::/3 is global. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/** The words a refusal uses for ipaddr.js's range names; the others are used as they are. */
const CLASS_NAMES: Record<string, string> = {
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade NAT',
  uniqueLocal: 'unique-local (private)',
  rfc6052: 'NAT64',
  rfc6145: 'IPv4-translated',
  as112: 'AS112',
  as112v6: 'AS112',
  amt: 'AMT',
};

/** A destination Parley will not send to; `summary` is what a delivery log keeps. */
export class DestinationRefused extends ParleyError {
  constructor(
    readonly summary: string,
    advice: string,
  ) {
    super('destination_refused', `${summary}: ${advice}`);
  }
}

/** Why `address` is no public unicast address ('loopback', 'private', …), or null when it is one. */
function nonPublicClass(address: ipaddr.IPv4 | ipaddr.IPv6): string | null {
  const range = address.range();
  if (range !== 'unicast') return CLASS_NAMES[range] ?? range;
  if (address.kind() === 'ipv6' && !address.match(GLOBAL_UNICAST_V6)) return 'reserved';
  return null;
}

export interface DestinationsDeps {
  allow: DestinationAllowList;
  /** What a refusal calls the requests, and the variable of their allow-list: 'webhooks', PARLEY_WEBHOOK_ALLOW. */
  requests: { name: string; allowVariable: string };
  /** Injected so that tests can point a name elsewhere between registration and delivery. */
  resolve?: ResolveHost;
}

export function createDestinations({ allow, requests, resolve = resolveWithSystem }: DestinationsDeps) {
  const hosts = new Set(allow.hosts);
  const advice = `${requests.name} go only to public addresses; ${requests.allowVariable} admits a host name or a CIDR range for destinations on your own network`;

  function inAllowedRange(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
    return allow.ranges.some(
      ([network, bits]) => network.kind() === address.kind() && address.match(network, bits),
    );
  }

  /** Throws unless `address` is public or allowed; `destination` is how the refusal names it. */
  function checkAddress(address: string, destination: string): void {
    // Resolvers may answer anything; only what net.connect would take as an address can be judged.
    if (isIP(address) === 0) {
      throw new DestinationRefused(`destination ${destination} refused: not an IP address`, advice);
    }
    // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it reaches.
    const parsed = ipaddr.process(address);
    const refusedAs = nonPublicClass(parsed);
    if (refusedAs !== null && !inAllowedRange(parsed)) {
      throw new DestinationRefused(`destination ${destination} refused: ${refusedAs} address`, advice);
    }
  }

  /** The addresses a connection to `host` (an IP literal or a name) may use: all of them, each checked. */
  async function admitHost(host: string): Promise<string[]> {
    if (isIP(host) !== 0) {
      checkAddress(host, host);
      return [host];
    }
    const addresses = await resolve(host).catch((error: unknown) => {
      const reason = (error as { code?: string }).code ?? (error as Error).message;
      throw new DestinationRefused(
        `destination ${host} refused: it does not resolve (${reason})`,
        `Parley resolves the host of ${requests.name} to check where it points; check the name`,
      );
    });
    if (addresses.length === 0) {
      throw new DestinationRefused(`destination ${host} refused: it resolves to no address`, advice);
    }
    // One refused address refuses the name: which one a connection picks is not ours to choose.
    if (!hosts.has(host.toLowerCase())) {
      for (const address of addresses) checkAddress(address, `${host} (${address})`);
    }
    return addresses;
  }

  return {
    /**
     * Throws `DestinationRefused` unless every address `url`'s host stands for may be sent to. The host is
     * read from the WHATWG URL, which has already turned 2130706433, 0177.0.0.1 or 0x7f.1 into 127.0.0.1.
     */
    async admit(url: URL): Promise<void> {
      await admitHost(url.hostname.replace(/^\[(.*)\]$/, '$1'));
    },

    /**
     * For node:http's `lookup` option: resolves, checks every address and hands net.connect only checked
     * ones. With `all` (Node's autoSelectFamily) net may try each, so each must pass.
     */
    lookup: ((hostname, options, callback) => {
      admitHost(hostname).then(
        (addresses) => {
          if (options.all)
            callback(
              null,
              addresses.map((address) => ({ address, family: isIP(address) })),
            );
          else callback(null, addresses[0] ?? '', isIP(addresses[0] ?? ''));
        },
        (error: NodeJS.ErrnoException) => callback(error, ''),
      );
    }) satisfies LookupFunction,
  };
}

export type Destinations = ReturnType<typeof createDestinations>;
