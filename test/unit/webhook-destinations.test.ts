// The webhook destination rule on its own: which addresses a webhook may reach, in every spelling a URL
// allows, and what the operator's allow-list admits. Names resolve through a table, never real DNS.
import type { LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import {
  createDestinations,
  type DestinationAllowList,
  DestinationRefused,
} from '../../src/server/domain/outbound/destinations.ts';
import { webhookRequests } from '../../src/server/domain/webhooks/post-delivery.ts';

const PUBLIC_V4 = '93.184.215.14';
const PUBLIC_V6 = '2606:4700:4700::1111';

const dns: Record<string, string[]> = {
  'public.example.test': [PUBLIC_V4, PUBLIC_V6],
  'private.example.test': ['10.1.2.3'],
  'metadata.example.test': ['169.254.169.254'],
  'loopback6.example.test': ['::1'],
  'half-private.example.test': [PUBLIC_V4, '192.168.0.10'],
  'hooks.internal.example': ['10.20.0.7'],
  'sub.hooks.internal.example': ['10.20.0.8'],
  'nothing.example.test': [],
};

const noAllowList: DestinationAllowList = { hosts: [], ranges: [] };

function destinations(allow: DestinationAllowList = noAllowList) {
  return createDestinations({
    requests: webhookRequests,
    allow,
    resolve: async (hostname) => {
      const addresses = dns[hostname];
      if (!addresses) throw Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' });
      return addresses;
    },
  });
}

async function refusalOf(url: string, allow?: DestinationAllowList): Promise<DestinationRefused | null> {
  try {
    await destinations(allow).admit(new URL(url));
    return null;
  } catch (error) {
    if (error instanceof DestinationRefused) return error;
    throw error;
  }
}

/** Every form below names a host no webhook may reach; the class is what the refusal must say. */
const refusedForms: [url: string, addressClass: string][] = [
  ['http://127.0.0.1/', 'loopback'],
  ['http://127.1/', 'loopback'],
  ['http://2130706433/', 'loopback'],
  ['http://0177.0.0.1/', 'loopback'],
  ['http://0x7f.1/', 'loopback'],
  ['http://0x7f000001/', 'loopback'],
  ['http://[::1]/', 'loopback'],
  ['http://[::ffff:127.0.0.1]/', 'loopback'],
  ['http://[::ffff:7f00:1]/', 'loopback'],
  ['http://[0:0:0:0:0:ffff:7f00:1]/', 'loopback'],
  ['http://[::7f00:1]/', 'reserved'],
  ['http://169.254.169.254/latest/meta-data/', 'link-local'],
  ['http://[::ffff:169.254.169.254]/', 'link-local'],
  ['http://[fd00:ec2::254]/', 'unique-local'],
  ['http://[fe80::1]/', 'link-local'],
  ['http://10.0.0.1/', 'private'],
  ['http://172.16.5.4/', 'private'],
  ['http://172.31.255.255/', 'private'],
  ['http://192.168.1.1/', 'private'],
  ['http://[::ffff:10.0.0.1]/', 'private'],
  ['http://100.64.0.1/', 'carrier-grade NAT'],
  ['http://100.127.255.254/', 'carrier-grade NAT'],
  ['http://0.0.0.0/', 'unspecified'],
  ['http://0/', 'unspecified'],
  ['http://[::]/', 'unspecified'],
  ['http://224.0.0.1/', 'multicast'],
  ['http://[ff02::1]/', 'multicast'],
  ['http://255.255.255.255/', 'broadcast'],
  ['http://192.0.2.1/', 'reserved'],
  ['http://198.18.0.1/', 'reserved'],
  ['http://240.0.0.1/', 'reserved'],
  ['http://[2001:db8::1]/', 'reserved'],
  ['http://[64:ff9b::7f00:1]/', 'NAT64'],
  ['http://[2002:7f00:1::]/', '6to4'],
  ['https://private.example.test/hook', 'private'],
  ['https://metadata.example.test/', 'link-local'],
  ['https://loopback6.example.test/', 'loopback'],
  ['https://half-private.example.test/', 'private'],
  ['https://PRIVATE.Example.Test/', 'private'],
];

const publicForms = [
  `http://${PUBLIC_V4}/hook`,
  `https://[${PUBLIC_V6}]/hook`,
  'https://public.example.test/hook',
  'http://8.8.8.8:8080/',
];

describe('webhook destinations', () => {
  it('refuses every non-public address in every spelling a URL allows, naming its class', async () => {
    let refused = 0;
    for (const [url, addressClass] of refusedForms) {
      const refusal = await refusalOf(url);
      expect(refusal, url).not.toBeNull();
      expect(refusal?.code, url).toBe('destination_refused');
      expect(refusal?.summary, url).toContain(`refused: ${addressClass}`);
      expect(refusal?.message, url).toContain('PARLEY_WEBHOOK_ALLOW');
      refused += 1;
    }
    expect(refused).toBe(refusedForms.length);
  });

  it('admits public addresses and names that resolve only to public addresses', async () => {
    for (const url of publicForms) expect(await refusalOf(url), url).toBeNull();
  });

  it('names the host and the address in the refusal of a name', async () => {
    expect((await refusalOf('https://half-private.example.test/'))?.summary).toBe(
      'destination half-private.example.test (192.168.0.10) refused: private address',
    );
  });

  it('refuses a name that does not resolve, or resolves to no address', async () => {
    expect((await refusalOf('https://unknown.example.test/'))?.summary).toBe(
      'destination unknown.example.test refused: it does not resolve (ENOTFOUND)',
    );
    expect((await refusalOf('https://nothing.example.test/'))?.summary).toContain('resolves to no address');
  });

  it('admits an allow-listed host name whatever it resolves to, and neither its subdomains nor its address', async () => {
    const allow = { hosts: ['hooks.internal.example'], ranges: [] };
    expect(await refusalOf('https://hooks.internal.example/parley', allow)).toBeNull();
    expect(await refusalOf('https://HOOKS.Internal.Example/parley', allow)).toBeNull();
    expect(await refusalOf('https://sub.hooks.internal.example/parley', allow)).not.toBeNull();
    expect(await refusalOf('https://10.20.0.7/parley', allow)).not.toBeNull();
  });

  it('admits addresses in an allow-listed range, as literals, IPv4-mapped literals and resolved names', async () => {
    const allow = { hosts: [], ranges: [ipaddr.parseCIDR('10.20.0.0/16'), ipaddr.parseCIDR('::1/128')] };
    for (const url of [
      'http://10.20.3.4/',
      'http://[::ffff:10.20.3.4]/',
      'http://[::1]:8080/',
      'https://hooks.internal.example/',
      'https://sub.hooks.internal.example/',
    ]) {
      expect(await refusalOf(url, allow), url).toBeNull();
    }
    for (const url of ['http://10.21.0.1/', 'http://127.0.0.1/', 'https://private.example.test/']) {
      expect(await refusalOf(url, allow), url).not.toBeNull();
    }
  });

  describe('as the lookup of a connection', () => {
    const lookup = (hostname: string, all: boolean) =>
      new Promise<{
        error: NodeJS.ErrnoException | null;
        address: string | LookupAddress[];
        family?: number;
      }>((resolve) =>
        destinations().lookup(hostname, { all }, (error, address, family) =>
          resolve({ error, address, family }),
        ),
      );

    it('hands every checked address over when asked for all (autoSelectFamily), else the first', async () => {
      expect(await lookup('public.example.test', true)).toEqual({
        error: null,
        address: [
          { address: PUBLIC_V4, family: 4 },
          { address: PUBLIC_V6, family: 6 },
        ],
        family: undefined,
      });
      expect(await lookup('public.example.test', false)).toEqual({
        error: null,
        address: PUBLIC_V4,
        family: 4,
      });
    });

    it('fails the connection, with no address, when any address the name resolves to is refused', async () => {
      for (const all of [true, false]) {
        const { error, address } = await lookup('half-private.example.test', all);
        expect(error).toBeInstanceOf(DestinationRefused);
        expect(address).toBe('');
      }
    });
  });
});
