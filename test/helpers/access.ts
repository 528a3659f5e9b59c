// People of named organisations and roles, re-issued tokens for them, and sockets watched from before they
// connect: what the access, revocation and transport tests need on top of clients.ts.
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import type { OrganizationKind, Role } from '../../src/protocol/models.ts';
import type { ParleyServer } from '../../src/server/app.ts';
import { signHostToken } from '../../src/server/demo/tokens.ts';
import { conversationRoom } from '../../src/server/fanout/fanout.ts';
import {
  api,
  type ClientSocket,
  FIRST_TOKEN_AGE_SECONDS,
  firstTokenIssuedAt,
  type TestUser,
} from './clients.ts';
import {
  createTestStorage,
  type Driver,
  startTestServer,
  TEST_JWT_SECRET,
  type TestStorage,
} from './server.ts';

export interface Claims {
  orgId: string;
  orgKind: OrganizationKind;
  role: Role;
}

/** Who a token speaks for, as the host describes them; the email is `ID@example.test` unless given. */
export interface Profile extends Claims {
  id: string;
  displayName: string;
  email?: string | null;
  orgName?: string;
}

export interface Person extends TestUser, Profile {}

/** A person's organisation, and anything of their profile a test chooses instead of the defaults. */
export type PersonDetails = Pick<Claims, 'orgId' | 'orgKind'> & Partial<Omit<Profile, 'orgId' | 'orgKind'>>;

/** The organisations of the demo: the company itself, a client of it and a vendor to it. */
export const axiom: Pick<Claims, 'orgId' | 'orgKind'> = { orgId: 'axiom', orgKind: 'internal' };
export const oracare: Pick<Claims, 'orgId' | 'orgKind'> = { orgId: 'oracare', orgKind: 'client' };
export const northwind: Pick<Claims, 'orgId' | 'orgKind'> = { orgId: 'northwind', orgKind: 'vendor' };
/** The organisation of `newUser`'s people: tests that are not about organisations all work in it. */
export const acme: Pick<Claims, 'orgId' | 'orgKind'> = { orgId: 'acme', orgKind: 'internal' };

/**
 * A token for the person as the host would sign it now (or `issuedAt`, Unix seconds), optionally showing
 * other claims.
 */
export async function tokenFor(
  person: Profile,
  changes: Partial<Omit<Profile, 'id'>> = {},
  ttlSeconds = 3600,
  issuedAt?: number,
): Promise<string> {
  const { id, ...profile } = { ...person, ...changes };
  return signHostToken(
    TEST_JWT_SECRET,
    { id, ...profile, email: profile.email === undefined ? `${id}@example.test` : profile.email },
    ttlSeconds,
    issuedAt === undefined ? {} : { issuedAt },
  );
}

/**
 * A person not yet known to Parley: unless `details` names them, unique to the calling test (so tests
 * sharing a server never see each other's data) and called `label`.
 */
export async function newPerson(label: string, details: PersonDetails, ttlSeconds = 3600): Promise<Person> {
  const person: Profile = {
    id: `${label}-${randomUUID().slice(0, 8)}`,
    displayName: label,
    ...details,
    role: details.role ?? 'member',
  };
  // Issued a minute early, valid for the lifetime asked for from now.
  const token = await tokenFor(person, {}, ttlSeconds + FIRST_TOKEN_AGE_SECONDS, firstTokenIssuedAt());
  return { ...person, token };
}

/** A person Parley knows: they have used it once, as anyone who can be messaged has. */
export async function knownPerson(baseUrl: string, label: string, details: PersonDetails): Promise<Person> {
  const person = await newPerson(label, details);
  const me = await api(baseUrl, 'GET', '/api/me', { token: person.token });
  if (me.status !== 200) throw new Error(`${label} cannot sign in: ${JSON.stringify(me.body)}`);
  return person;
}

/** An API key for a host back-end, created by an internal admin as a host's operator would. */
export async function createHostKey(
  baseUrl: string,
  adminToken: string,
  scopes: string[] = ['records:write', 'records:post'],
): Promise<string> {
  const created = await api(baseUrl, 'POST', '/api/admin/api-keys', {
    token: adminToken,
    body: { name: 'Order system', scopes },
  });
  if (created.status !== 201) throw new Error(`no API key: ${JSON.stringify(created.body)}`);
  return created.body.key;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or null when there is none (204). */
  body: any;
}

/** Like `api`, with the response headers, any extra request headers, and bodiless answers allowed. */
export async function request(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

// Kept here too for the suites that import them from here; the one definition is in clients.ts.
export { openSocket, type SocketOptions } from './clients.ts';

/** The connect_error of a handshake that must be refused; fails if it connects instead. */
export async function refusal(
  connected: Promise<ClientSocket>,
): Promise<Error & { data?: { code?: string; retryAfterMs?: number } }> {
  const outcome = await connected.then(
    (socket) => {
      socket.close();
      return null;
    },
    (error: Error) => error,
  );
  if (outcome === null) throw new Error('the handshake was accepted');
  return outcome;
}

// Kept here too for the suites that import it from here; the one definition is in events.ts.
export { nextEvent } from './events.ts';

/**
 * Several PGlite storages for servers with different settings, copied from one migrated data directory:
 * starting on a copy skips PGlite's initdb, which costs seconds per server.
 */
export async function pgliteStorages(count: number): Promise<TestStorage[]> {
  const first = await createTestStorage('pglite');
  await (await startTestServer(first)).close();
  const source = first.env.PARLEY_DATA_DIR as string;
  const copies = Array.from({ length: count - 1 }, (): TestStorage => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-test-'));
    cpSync(source, dir, { recursive: true });
    return {
      driver: 'pglite',
      env: { PARLEY_DATA_DIR: dir },
      destroy: async () => rmSync(dir, { recursive: true, force: true }),
    };
  });
  return [first, ...copies];
}

/** Storages for several servers on one driver: fresh databases on PostgreSQL, copies of one on PGlite. */
export async function storagesFor(driver: Driver, count: number): Promise<TestStorage[]> {
  if (driver === 'pglite') return pgliteStorages(count);
  return Promise.all(Array.from({ length: count }, () => createTestStorage(driver)));
}

/**
 * Resolves once the server has put the socket in the rooms of these conversations. A client sees `connect`
 * before the server has read the user's conversations; a message sent in between would not reach it live.
 */
export async function subscribedTo(
  server: ParleyServer,
  socket: ClientSocket,
  conversationIds: readonly string[],
): Promise<void> {
  await vi.waitFor(async () => {
    const [onServer] = await server.io.in(socket.id as string).fetchSockets();
    expect([...(onServer?.rooms ?? [])]).toEqual(
      expect.arrayContaining(conversationIds.map(conversationRoom)),
    );
  });
}
