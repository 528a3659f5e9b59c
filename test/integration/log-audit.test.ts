// The JSON log names what a line is about (the request's reqId, the socket's socketId and userId) and never
// carries a credential or what people wrote, whichever part of Parley writes the line.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { axiom, knownPerson, type Person } from '../helpers/access.ts';
import { api } from '../helpers/clients.ts';
import { TEST_JWT_SECRET } from '../helpers/server.ts';
import { useTestServer } from '../helpers/test-server.ts';

type LogLine = Record<string, unknown> & { msg?: string };

describe('the log', () => {
  const lines: string[] = [];
  const parley = useTestServer('pglite', {
    env: { LOG_LEVEL: 'debug' },
    logStream: { write: (line) => void lines.push(line) },
  });
  const parsed = () => lines.map((line) => JSON.parse(line) as LogLine);
  let alice: Person;
  let bob: Person;

  beforeAll(async () => {
    alice = await knownPerson(parley.url, 'alice', axiom);
    bob = await knownPerson(parley.url, 'bob', axiom);
  });

  it('names requests and sockets, and keeps tokens, secrets and message text out', async () => {
    const messageText = `the launch code is ${randomUUID()}`;
    const unsubscribeToken = `unsub-${randomUUID()}`;
    const cookieSecret = `cookie-${randomUUID()}`;

    const dm = await api(parley.url, 'POST', '/api/conversations', {
      token: alice.token,
      body: { kind: 'direct', memberIds: [bob.id] },
    });
    expect(dm.status).toBe(201);
    const conversationId: string = dm.body.conversation.id;
    const socket = await parley.open(alice.token);
    const ack = await socket.emitWithAck('message:send', {
      conversationId,
      clientMsgId: randomUUID(),
      body: messageText,
    });
    expect(ack).toMatchObject({ ok: true });
    // An event that needs an ack, sent without one: the server notes it on the socket's behalf.
    const emitWithoutAck = socket.emit.bind(socket) as (event: string, payload: unknown) => void;
    emitWithoutAck('message:send', { conversationId, clientMsgId: randomUUID(), body: messageText });

    const unsubscribe = await fetch(`${parley.url}/unsubscribe?token=${unsubscribeToken}`);
    expect(unsubscribe.status).toBeLessThan(500);
    const me = await fetch(`${parley.url}/api/me?token=${alice.token}`, {
      headers: { authorization: `Bearer ${alice.token}`, cookie: `session=${cookieSecret}` },
    });
    expect(me.status).toBe(200);
    parley.server.http.log.warn({ grant: { token: alice.token }, password: cookieSecret }, 'redaction probe');

    await vi.waitFor(() =>
      expect(parsed().some((line) => line.msg === 'event without an ack callback ignored')).toBe(true),
    );
    const log = parsed();

    const requestLines = log.filter((line) => 'req' in line);
    expect(requestLines.length).toBeGreaterThanOrEqual(4);
    for (const line of requestLines) expect(line.reqId, JSON.stringify(line)).toEqual(expect.any(String));
    const urls = requestLines.map((line) => (line.req as { url: string }).url);
    expect(urls).toContain('/unsubscribe?token');
    expect(urls).toContain('/api/me?token');

    const socketLine = log.find((line) => line.msg === 'event without an ack callback ignored');
    expect(socketLine).toMatchObject({ socketId: socket.id, userId: alice.id, event: 'message:send' });

    const probe = log.find((line) => line.msg === 'redaction probe');
    expect(probe).toMatchObject({ grant: { token: '[redacted]' }, password: '[redacted]' });

    const everything = lines.join('');
    for (const secret of [
      alice.token,
      bob.token,
      messageText,
      unsubscribeToken,
      cookieSecret,
      TEST_JWT_SECRET,
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});
