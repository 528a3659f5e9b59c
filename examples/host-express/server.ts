// A minimal host app (Express 5) that bridges its own login to Parley: it keeps a session for its users and
// signs each logged-in user a short-lived Parley token at GET /api/chat/token. Run it directly or import it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import { SignJWT } from 'jose';

export interface HostAppOptions {
  /** 0 picks a free port. */
  port: number;
  /** Where Parley is served, e.g. https://chat.example.com; the page loads the widget from it. */
  parleyUrl: string;
  /** The secret shared with Parley (its PARLEY_JWT_SECRET), at least 32 characters. */
  jwtSecret: string;
  /** Set these when Parley is configured with PARLEY_JWT_ISSUER / PARLEY_JWT_AUDIENCE. */
  issuer?: string;
  audience?: string;
  /** How long a chat token lives; the widget asks again before it expires. */
  tokenTtlSeconds?: number;
}

export interface HostApp {
  url: string;
  close(): Promise<void>;
}

type OrgKind = 'internal' | 'client' | 'vendor';

interface HostUser {
  username: string;
  password: string;
  name: string;
  email: string;
  role: 'admin' | 'member' | 'viewer';
  org: { id: string; name: string; kind: OrgKind };
}

const axiom: HostUser['org'] = { id: 'axiom', name: 'Axiom Fulfillment', kind: 'internal' };
const oracare: HostUser['org'] = { id: 'oracare', name: 'Oracare', kind: 'client' };
const northwind: HostUser['org'] = { id: 'northwind', name: 'Northwind Manufacturing', kind: 'vendor' };

const person = (username: string, name: string, role: HostUser['role'], org: HostUser['org']): HostUser => ({
  username,
  password: 'demo',
  name,
  email: `${username}@${org.id}.example`,
  role,
  org,
});

/** The host's own users; the same ids as Parley's demo, so both can run against one seeded database. */
const users: HostUser[] = [
  person('ana', 'Ana Lima', 'admin', axiom),
  person('raj', 'Raj Patel', 'member', axiom),
  person('olivia', 'Olivia Chen', 'member', oracare),
  person('omar', 'Omar Haddad', 'viewer', oracare),
  person('nina', 'Nina Kowalski', 'member', northwind),
];

const SESSION_COOKIE = 'host_session';
const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const DEFAULT_TOKEN_TTL_SECONDS = 10 * 60;

/** Compares digests so that the time taken says nothing about the password. A real host hashes with scrypt/argon2. */
function passwordMatches(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function checkCredentials(username: unknown, password: unknown): HostUser | undefined {
  if (typeof username !== 'string' || typeof password !== 'string') return undefined;
  const user = users.find((candidate) => candidate.username === username);
  return user && passwordMatches(password, user.password) ? user : undefined;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** Random session ids mapped to users in memory: enough for an example, lost on restart. */
function createSessions() {
  const sessions = new Map<string, { user: HostUser; expiresAt: number }>();
  return {
    start(user: HostUser): string {
      const id = randomBytes(32).toString('base64url');
      sessions.set(id, { user, expiresAt: Date.now() + SESSION_TTL_MS });
      return id;
    },
    userOf(request: Request): HostUser | undefined {
      const id = readCookie(request.headers.cookie, SESSION_COOKIE);
      const session = id === undefined ? undefined : sessions.get(id);
      if (!session || !id) return undefined;
      if (session.expiresAt > Date.now()) return session.user;
      sessions.delete(id);
      return undefined;
    },
    end(request: Request): void {
      const id = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (id !== undefined) sessions.delete(id);
    },
  };
}

/** The token Parley verifies: who the user is, in which organisation, with which role. */
async function signChatToken(user: HostUser, options: HostAppOptions) {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + (options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS);
  let jwt = new SignJWT({
    name: user.name,
    email: user.email,
    org: user.org.id,
    org_name: user.org.name,
    org_kind: user.org.kind,
    role: user.role,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.username)
    .setIssuedAt(now)
    .setExpirationTime(exp);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  const token = await jwt.sign(new TextEncoder().encode(options.jwtSecret));
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/** Login CSRF guard: browsers send Origin on cross-site POSTs; refuse those that come from elsewhere. */
function sameOriginPostsOnly(request: Request, response: Response, next: NextFunction): void {
  const origin = request.get('origin');
  if (request.method === 'POST' && origin && origin !== `${request.protocol}://${request.get('host')}`) {
    response.status(403).json({ error: { code: 'forbidden', message: 'cross-site request' } });
    return;
  }
  next();
}

/** Forms get pages and redirects back; scripts (JSON or no body) get JSON. */
const sentByForm = (request: Request) => Boolean(request.is('urlencoded'));

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function renderPage(user: HostUser | undefined, parleyUrl: string, error?: string): string {
  const body = user
    ? `<p>Logged in as <strong>${escapeHtml(user.name)}</strong> (${escapeHtml(user.org.name)}, ${user.role}).</p>
    <form method="post" action="/logout"><button>Log out</button></form>
    <!-- Parley embed point: the widget fetches /api/chat/token with this page's cookies and refreshes it before expiry. -->
    <script src="${escapeHtml(parleyUrl)}/widget.js" data-token-url="/api/chat/token" async></script>`
    : `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
    <form method="post" action="/login">
      <label>User <input name="username" autocomplete="username" required></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
      <button>Log in</button>
    </form>
    <p>Users: ${users.map((u) => `${u.username} (${escapeHtml(u.org.name)}, ${u.role})`).join(', ')}; password <code>demo</code>.</p>`;
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Host dashboard</title></head>
  <body>
    <h1>Host dashboard</h1>
    ${body}
  </body>
</html>`;
}

export function createHostApp(options: HostAppOptions): express.Express {
  if (options.jwtSecret.length < 32) throw new Error('jwtSecret: expected at least 32 characters');
  const parleyUrl = options.parleyUrl.replace(/\/+$/, '');
  const sessions = createSessions();
  const app = express();
  app.disable('x-powered-by');
  app.use(sameOriginPostsOnly);
  app.use(express.urlencoded({ extended: false }), express.json());

  app.get('/', (request, response) => {
    response.type('html').send(renderPage(sessions.userOf(request), parleyUrl));
  });

  app.post('/login', (request, response) => {
    const wantsJson = !sentByForm(request);
    const user = checkCredentials(request.body?.username, request.body?.password);
    if (!user) {
      const message = 'wrong username or password';
      if (wantsJson) response.status(401).json({ error: { code: 'unauthorized', message } });
      else
        response
          .status(401)
          .type('html')
          .send(renderPage(undefined, parleyUrl, message));
      return;
    }
    // A fresh id at every login, so that an id planted before login never becomes a logged-in session.
    sessions.end(request);
    response.cookie(SESSION_COOKIE, sessions.start(user), {
      httpOnly: true,
      sameSite: 'lax',
      // Behind HTTPS (app.set('trust proxy', …) behind a proxy) the cookie is also Secure.
      secure: request.secure,
      path: '/',
      maxAge: SESSION_TTL_MS,
    });
    if (wantsJson) response.json({ user: { username: user.username, name: user.name, org: user.org.id } });
    else response.redirect(303, '/');
  });

  app.post('/logout', (request, response) => {
    sessions.end(request);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    if (!sentByForm(request)) response.status(204).end();
    else response.redirect(303, '/');
  });

  app.get('/api/chat/token', async (request, response) => {
    response.set('Cache-Control', 'no-store');
    const user = sessions.userOf(request);
    if (!user) {
      response.status(401).json({ error: { code: 'unauthorized', message: 'log in first' } });
      return;
    }
    response.json(await signChatToken(user, options));
  });

  return app;
}

export async function startHostApp(options: HostAppOptions): Promise<HostApp> {
  const server = createServer(createHostApp(options));
  server.listen(options.port, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const jwtSecret = process.env.PARLEY_JWT_SECRET;
  if (!jwtSecret) {
    console.error('PARLEY_JWT_SECRET: required, the same secret Parley is started with (≥ 32 characters)');
    process.exit(1);
  }
  const host = await startHostApp({
    port: Number(process.env.PORT ?? 4000),
    parleyUrl: process.env.PARLEY_URL ?? 'http://localhost:3000',
    jwtSecret,
    issuer: process.env.PARLEY_JWT_ISSUER,
    audience: process.env.PARLEY_JWT_AUDIENCE,
  });
  console.log(`host app at ${host.url}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void host.close());
}
