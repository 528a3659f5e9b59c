// A push service on 127.0.0.1, as browsers' push services (FCM, Mozilla's, Apple's) receive Parley's pushes:
// HTTPS with a certificate of its own (its PEM is `ca`, for the server to trust), one endpoint per test
// subscription whose browser keys it made, the VAPID signature checked and every payload decrypted as a
// browser would. Each subscription answers 201 unless told otherwise (410 for one the browser dropped).

import { createECDH, type ECDH, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import ece from 'http_ece';
import { decodeProtectedHeader, importJWK, type JWTPayload, jwtVerify } from 'jose';
import type { PushPayload, PushSubscriptionJson } from '../../src/protocol/push.ts';
import { type Arrivals, createArrivals } from './events.ts';
import { loopbackCertificate } from './tls.ts';

export interface ReceivedPush {
  /** Which subscription it was sent to (its endpoint's last segment). */
  subscriptionId: string;
  headers: Record<string, string | string[] | undefined>;
  /** The VAPID JWT's claims, once its signature checked out with the key it came with. */
  vapid: { claims: JWTPayload; publicKey: string; alg: string };
  /** The payload as the browser's service worker reads it. */
  payload: PushPayload;
  /** What the service answered. */
  status: number;
}

export interface TestSubscription {
  id: string;
  /** As `PushSubscription.toJSON()` gives it. */
  json: PushSubscriptionJson;
}

/** Checks `Authorization: vapid t=<JWT>, k=<public key>` as a push service does; throws what is wrong. */
async function checkVapid(authorization: string | undefined) {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!match) throw new Error(`not a VAPID authorization: ${authorization}`);
  const [, token = '', publicKey = ''] = match;
  const point = Buffer.from(publicKey, 'base64url');
  const key = await importJWK(
    {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    'ES256',
  );
  const { payload } = await jwtVerify(token, key, { algorithms: ['ES256'] });
  return { claims: payload, publicKey, alg: decodeProtectedHeader(token).alg ?? '' };
}

export interface PushService {
  /** Trusted by the server under test (`pushCa`). */
  ca: string;
  origin: string;
  pushes: Arrivals<ReceivedPush>;
  /** Requests that failed the service's checks, with why: none in a passing test. */
  rejected: string[];
  /** A browser's subscription: keys made here, and an endpoint on this service. */
  subscribe(): TestSubscription;
  /** From now on the subscription's endpoint answers `status` (410: the browser unsubscribed). */
  answer(subscriptionId: string, status: number): void;
  close(): Promise<void>;
}

export async function startPushService(): Promise<PushService> {
  const tls = loopbackCertificate();
  const browsers = new Map<string, { ecdh: ECDH; auth: string }>();
  const answers = new Map<string, number>();
  const pushes = createArrivals<ReceivedPush>('pushes');
  const rejected: string[] = [];
  let origin = '';

  async function receive(subscriptionId: string, headers: ReceivedPush['headers'], body: Buffer) {
    const browser = browsers.get(subscriptionId);
    if (!browser) throw new Error(`no subscription ${subscriptionId}`);
    if (headers['content-encoding'] !== 'aes128gcm')
      throw new Error(`content-encoding ${headers['content-encoding']}`);
    const vapid = await checkVapid(headers.authorization as string | undefined);
    const plain = ece.decrypt(body, {
      version: 'aes128gcm',
      privateKey: browser.ecdh,
      authSecret: browser.auth,
    });
    const status = answers.get(subscriptionId) ?? 201;
    pushes.add({ subscriptionId, headers, vapid, payload: JSON.parse(plain.toString('utf8')), status });
    return status;
  }

  const server: Server = createServer(tls, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const id = /^\/push\/([\w-]+)$/.exec(request.url ?? '')?.[1] ?? '';
      receive(id, request.headers, Buffer.concat(chunks)).then(
        (status) => response.writeHead(status).end(),
        (error: Error) => {
          rejected.push(error.message);
          response.writeHead(400).end(error.message);
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    ca: tls.cert,
    origin,
    pushes,
    rejected,
    subscribe() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16).toString('base64url');
      const id = randomUUID();
      browsers.set(id, { ecdh, auth });
      return {
        id,
        json: {
          endpoint: `${origin}/push/${id}`,
          expirationTime: null,
          keys: { p256dh: ecdh.getPublicKey('base64url'), auth },
        },
      };
    },
    answer: (subscriptionId, status) => answers.set(subscriptionId, status),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
