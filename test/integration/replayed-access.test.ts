// Old tokens and grants cannot replay access upward: a profile follows only a newer token, lifetimes are
// capped, and a record grant never re-widens a record the host narrowed since it was signed.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signRecordGrant } from '../../src/server/demo/tokens.ts';
import {
  axiom,
  createHostKey,
  knownPerson,
  northwind,
  oracare,
  type Person,
  tokenFor,
} from '../helpers/access.ts';
import { api } from '../helpers/clients.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { signClaims } from '../helpers/raw-tokens.ts';
import { TEST_JWT_SECRET } from '../helpers/server.ts';
import { useTestServer } from '../helpers/test-server.ts';

const drivers = testDrivers();
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe.each(drivers)('replayed access on %s', (driver) => {
  const parley = useTestServer(driver);
  let hostKey: string;

  const me = (token: string) => api(parley.url, 'GET', '/api/me', { token });
  const declare = (orderId: string, orgIds: string[]) =>
    api(parley.url, 'PUT', `/api/records/order/${orderId}`, {
      token: hostKey,
      body: { title: `Order #${orderId}`, orgIds },
    });
  const open = (person: Person, orderId: string, grant?: string) =>
    api(parley.url, 'POST', '/api/records/open', {
      token: person.token,
      body: { type: 'order', id: orderId, ...(grant ? { grant } : {}) },
    });
  const grantFor = (orderId: string, orgs: string[], options: { issuedAt?: number; userId?: string } = {}) =>
    signRecordGrant(
      TEST_JWT_SECRET,
      { record: { type: 'order', id: orderId }, orgs, ...(options.userId ? { userId: options.userId } : {}) },
      600,
      options.issuedAt === undefined ? {} : { issuedAt: options.issuedAt },
    );
  const newOrderId = () => String(Math.floor(Math.random() * 1e9));

  beforeAll(async () => {
    const admin = await knownPerson(parley.url, 'host-admin', { ...axiom, role: 'admin' });
    hostKey = await createHostKey(parley.url, admin.token);
  });

  describe('profiles', () => {
    it('keeps a demoted admin demoted when they replay their older, unexpired admin token', async () => {
      const admin = await knownPerson(parley.url, 'demoted', { ...axiom, role: 'admin' });
      expect((await api(parley.url, 'GET', '/api/admin/organizations', { token: admin.token })).status).toBe(
        200,
      );
      const demoted = await tokenFor(admin, { role: 'member' });
      expect((await me(demoted)).body.user).toMatchObject({ role: 'member' });

      const replay = await me(admin.token);
      expect(replay.status).toBe(200);
      expect(replay.body.user).toMatchObject({ id: admin.id, role: 'member' });
      const adminRoute = await api(parley.url, 'GET', '/api/admin/organizations', { token: admin.token });
      expect(adminRoute.status).toBe(403);
      const [stored] = await parley.server.db.query('select role from users where id = $1', [admin.id]);
      expect(stored).toEqual({ role: 'member' });
    });

    it('never moves a user back to an organisation or name an older token shows', async () => {
      const person = await knownPerson(parley.url, 'mover', { ...oracare });
      const moved = await tokenFor(person, { ...northwind });
      expect((await me(moved)).body.user).toMatchObject({ orgId: 'northwind' });
      const older = await tokenFor(person, { ...oracare }, 3600, nowSeconds() - 30);
      expect((await me(older)).body.user).toMatchObject({ orgId: 'northwind' });
      expect((await me(person.token)).body.user).toMatchObject({ orgId: 'northwind' });
    });

    it('applies a newer token at once, after an older one was replayed', async () => {
      const person = await knownPerson(parley.url, 'promoted', { ...axiom, role: 'viewer' });
      await me(await tokenFor(person, { role: 'member' }, 3600, nowSeconds() - 10));
      await me(person.token);
      const promoted = await tokenFor(person, { role: 'admin' });
      expect((await me(promoted)).body.user).toMatchObject({ role: 'admin' });
    });
  });

  describe('token lifetimes', () => {
    const signRaw = (claims: Record<string, unknown>, setIssuedAt: boolean, exp: number) =>
      signClaims(
        TEST_JWT_SECRET,
        { name: 'Lifetime', org: 'acme', role: 'member', ...claims },
        {
          subject: `lifetime-${randomUUID().slice(0, 8)}`,
          ...(setIssuedAt ? {} : { issuedAt: false }),
          expiresAt: exp,
        },
      );

    it.each([
      ['valid for a hundred years', true, () => nowSeconds() + 100 * 365 * 86_400, 'lifetime'],
      ['valid for a day and a minute', true, () => nowSeconds() + 86_460, 'lifetime'],
      ['without iat', false, () => nowSeconds() + 600, '"iat" is required'],
    ])('refuses a token %s and creates no user for it', async (_label, withIat, exp, reason) => {
      const token = await signRaw({}, withIat, exp());
      const response = await me(token);
      expect(response.status).toBe(401);
      expect(response.body.error).toMatchObject({ code: 'unauthorized' });
      expect(response.body.error.message).toContain(reason);
      const [{ n }] = (await parley.server.db.query(
        `select count(*)::int as n from users where id like 'lifetime-%'`,
      )) as [{ n: number }];
      expect(n).toBe(0);
    });

    it('refuses a token issued in the future, which would outrank every later token', async () => {
      const person = await knownPerson(parley.url, 'future', { ...axiom });
      const future = await tokenFor(person, { role: 'admin' }, 600, nowSeconds() + 3600);
      expect((await me(future)).status).toBe(401);
      expect((await me(person.token)).body.user).toMatchObject({ role: 'member' });
    });

    it('accepts a token valid for exactly the ceiling', async () => {
      const person = await knownPerson(parley.url, 'ceiling', { ...axiom });
      expect((await me(await tokenFor(person, {}, 86_400))).status).toBe(200);
    });
  });

  describe('record grants', () => {
    it('never lets an old grant re-admit an organisation the host has since narrowed out', async () => {
      const orderId = newOrderId();
      const staff = await knownPerson(parley.url, 'staff', { ...axiom });
      const vendor = await knownPerson(parley.url, 'vendor', { ...northwind });
      const wide = await grantFor(orderId, ['axiom', 'oracare', 'northwind'], { issuedAt: nowSeconds() - 5 });
      expect((await open(vendor, orderId, wide)).status).toBe(200);

      expect((await declare(orderId, ['axiom', 'oracare'])).status).toBe(200);
      const opened = await open(staff, orderId);
      const threadId: string = opened.body.conversation.id;
      await api(parley.url, 'POST', `/api/conversations/${threadId}/messages`, {
        token: staff.token,
        body: { clientMsgId: randomUUID(), body: 'The client renegotiated the price: 12 % off.' },
      });

      const replay = await open(vendor, orderId, wide);
      expect(replay.status).toBe(403);
      expect(replay.body.error).toMatchObject({ code: 'forbidden' });
      expect(replay.body.error.message).toContain('older than');
      const history = await api(parley.url, 'GET', `/api/conversations/${threadId}/messages`, {
        token: vendor.token,
      });
      expect(history.status).toBe(404);
      const [record] = await parley.server.db.query<{ scope_org_ids: string[] }>(
        'select scope_org_ids from conversations where id = $1',
        [threadId],
      );
      expect(record?.scope_org_ids).toEqual(['axiom', 'oracare']);
    });

    it('lets a grant signed after the declaration admit whom it names: the host’s newest word', async () => {
      const orderId = newOrderId();
      const vendor = await knownPerson(parley.url, 'vendor', { ...northwind });
      await declare(orderId, ['axiom']);
      const fresh = await grantFor(orderId, ['axiom', 'northwind']);
      expect((await open(vendor, orderId, fresh)).status).toBe(200);
    });

    it('never lets an older grant undo a newer one that narrowed the record', async () => {
      const orderId = newOrderId();
      const [client, vendor] = [
        await knownPerson(parley.url, 'client', { ...oracare }),
        await knownPerson(parley.url, 'vendor', { ...northwind }),
      ];
      const older = await grantFor(orderId, ['axiom', 'oracare', 'northwind'], {
        issuedAt: nowSeconds() - 20,
      });
      const newer = await grantFor(orderId, ['axiom', 'oracare'], { issuedAt: nowSeconds() - 10 });
      expect((await open(client, orderId, newer)).status).toBe(200);
      expect((await open(vendor, orderId, older)).status).toBe(403);
      // An older grant still opens the thread for someone the record admits anyway.
      expect((await open(client, orderId, older)).status).toBe(200);
    });

    it('admits only the user a grant names with sub', async () => {
      const orderId = newOrderId();
      const [named, colleague] = [
        await knownPerson(parley.url, 'named', { ...oracare }),
        await knownPerson(parley.url, 'colleague', { ...oracare }),
      ];
      const personal = await grantFor(orderId, ['axiom', 'oracare'], { userId: named.id });
      const stolen = await open(colleague, orderId, personal);
      expect(stolen.status).toBe(403);
      expect(stolen.body.error.message).toContain('another user');
      expect((await open(named, orderId, personal)).status).toBe(200);
    });

    it('refuses a grant without iat', async () => {
      const orderId = newOrderId();
      const client = await knownPerson(parley.url, 'client', { ...oracare });
      const noIat = await signClaims(
        TEST_JWT_SECRET,
        { typ: 'parley-record-grant', record: { type: 'order', id: orderId }, orgs: ['oracare'] },
        { issuedAt: false, expiresAt: '10m' },
      );
      const response = await open(client, orderId, noIat);
      expect(response.status).toBe(401);
      expect(response.body.error.message).toContain('iat');
    });
  });

  describe('record URLs', () => {
    it.each([
      'javascript:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'vbscript:msgbox(1)',
      'ftp://files.example.com/order.pdf',
    ])('refuses to store %s as a record link, from a declaration or a grant', async (url) => {
      const orderId = newOrderId();
      const declared = await api(parley.url, 'PUT', `/api/records/order/${orderId}`, {
        token: hostKey,
        body: { title: 'Order', url, orgIds: ['axiom'] },
      });
      expect(declared.status).toBe(400);
      expect(declared.body.error).toMatchObject({ code: 'invalid_payload' });
      expect(declared.body.error.issues).toEqual([expect.objectContaining({ path: 'url' })]);

      const staff = await knownPerson(parley.url, 'staff', { ...axiom });
      const grant = await signRecordGrant(
        TEST_JWT_SECRET,
        { record: { type: 'order', id: orderId }, orgs: ['axiom'], url },
        600,
      );
      const opened = await open(staff, orderId, grant);
      expect(opened.status).toBe(401);
      expect(opened.body.error.message).toContain('url');
      expect(await parley.server.db.query('select 1 from records where id = $1', [orderId])).toHaveLength(0);
    });
  });
});
