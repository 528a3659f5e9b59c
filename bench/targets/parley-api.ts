// Parley's REST API as a host's users call it: tokens signed as the host signs them (a user exists once
// their first token is used), and JSON requests that fail loudly.
import { signHostToken } from '../../src/server/demo/tokens.ts';

export interface BenchUser {
  id: string;
  token: string;
}

const TOKEN_LIFETIME_S = 6 * 60 * 60;

export interface ParleyApi {
  call: <T>(user: BenchUser, method: string, path: string, body?: unknown) => Promise<T>;
  /** Signs a member's token in the organisation and lets Parley meet them (`GET /api/me`). */
  user: (id: string) => Promise<BenchUser>;
  /** The same for an admin of the organisation (what registering a webhook takes). */
  admin: (id: string) => Promise<BenchUser>;
}

export function parleyApi(url: string, secret: string, orgId: string): ParleyApi {
  const call = async <T>(user: BenchUser, method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${user.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  const signIn = async (id: string, role: 'admin' | 'member'): Promise<BenchUser> => {
    const token = await signHostToken(
      secret,
      { id, displayName: id, email: `${id}@bench.test`, orgId, orgKind: 'internal', role },
      TOKEN_LIFETIME_S,
    );
    const known = { id, token };
    await call(known, 'GET', '/api/me');
    return known;
  };
  return { call, user: (id) => signIn(id, 'member'), admin: (id) => signIn(id, 'admin') };
}
