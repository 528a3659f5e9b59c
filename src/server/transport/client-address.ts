// The client's address as the limits count it: the peer's, or the client a trusted proxy names in
// X-Forwarded-For. Behind a proxy that is not trusted every user has the proxy's address, and shares its
// allowances: that is said once in the log, with what to set.
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

export interface ClientAddresses {
  /** Whether the address `hop` steps away may name the client (Fastify's `trustProxy`). */
  trust: (address: string, hop: number) => boolean;
  /** The address a handshake or request is counted under. */
  of: (request: IncomingMessage) => string;
  /** Warns, once per process, when an untrusted peer forwards for someone else. */
  notice: (request: IncomingMessage) => void;
}

export function createClientAddresses(
  trustedProxies: readonly string[],
  warn: (details: { peer: string }, message: string) => void,
): ClientAddresses {
  const trust = proxyAddr.compile([...trustedProxies]);
  let warned = false;

  const notice = (request: IncomingMessage) => {
    if (warned || request.headers['x-forwarded-for'] === undefined) return;
    const peer = request.socket.remoteAddress ?? 'unknown';
    if (trust(peer, 0)) return;
    warned = true;
    warn(
      { peer },
      `X-Forwarded-For from ${peer}, which is not a trusted proxy: every client behind it counts as ${peer} ` +
        `for rate limits and connection caps. If ${peer} is your proxy, set PARLEY_TRUSTED_PROXIES=${peer}`,
    );
  };

  return {
    trust,
    of(request) {
      notice(request);
      return proxyAddr(request, trust);
    },
    notice,
  };
}
