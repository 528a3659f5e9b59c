// Full-text search: identifiers found whole and by parts, phrases, or, exclusions, every filter, stable
// pages, and never a word from a conversation the user cannot read, whatever the query.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createParleyClient } from '../../src/client/client.ts';
import type { SearchHit, SearchResponse } from '../../src/protocol/search.ts';
import { createSearch } from '../../src/server/domain/search/search.ts';
import { axiom, createHostKey, knownPerson, oracare, type Person } from '../helpers/access.ts';
import { api } from '../helpers/clients.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { useTestServer } from '../helpers/test-server.ts';

const drivers = testDrivers();
const orgs = { axiom, oracare };

/** A made-up word no other test uses: tests share a server and must not find each other's messages. */
const uniqueWord = () =>
  `zq${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;

describe.each(drivers)('search on %s', (driver) => {
  const parley = useTestServer(driver);
  let hostKey: string;

  const person = (orgId: keyof typeof orgs, role: 'admin' | 'member' = 'member'): Promise<Person> => {
    const id = `${orgId}-${role}-${randomUUID().slice(0, 8)}`;
    return knownPerson(parley.url, id, { ...orgs[orgId], role, id, displayName: `Name ${id}`, email: null });
  };
  const group = async (owner: Person, others: Person[]): Promise<string> => {
    const created = await api(parley.url, 'POST', '/api/conversations', {
      token: owner.token,
      body: { kind: 'group', memberIds: others.map((p) => p.id), name: `g-${randomUUID().slice(0, 6)}` },
    });
    expect(created.status).toBe(201);
    return created.body.conversation.id;
  };
  const send = async (sender: Person, conversationId: string, body: string): Promise<string> => {
    const sent = await api(parley.url, 'POST', `/api/conversations/${conversationId}/messages`, {
      token: sender.token,
      body: { clientMsgId: randomUUID(), body },
    });
    expect(sent.status).toBe(201);
    return sent.body.message.id;
  };
  const search = async (who: Person, params: Record<string, string | number | boolean>) => {
    const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
    return api<SearchResponse & { error?: { code: string } }>(parley.url, 'GET', `/api/search?${query}`, {
      token: who.token,
    });
  };
  const foundIds = async (who: Person, params: Record<string, string | number | boolean>) => {
    const response = await search(who, params);
    expect(response.status).toBe(200);
    return response.body.hits.map((hit) => hit.message.id).sort();
  };

  beforeAll(async () => {
    const admin = await person('axiom', 'admin');
    hostKey = await createHostKey(parley.url, admin.token);
  });

  it('finds PO-1234, SKU-AB-12, 1Z999AA10123456784 and #1234 whole and by their parts', async () => {
    const [ana, ben] = [await person('axiom'), await person('axiom')];
    const conversationId = await group(ana, [ben]);
    const po = await send(ana, conversationId, 'Please check PO-1234 before noon.');
    const sku = await send(ben, conversationId, 'Restock SKU-AB-12 in aisle four');
    const ups = await send(ana, conversationId, 'Tracking: 1Z999AA10123456784 (UPS)');
    const ticket = await send(ben, conversationId, 'Closing ticket #1234 now');
    const cases: [string, string[]][] = [
      ['PO-1234', [po]],
      ['po-1234', [po]],
      // The tracking number holds …0123456…, so it contains 1234 as well.
      ['1234', [po, ups, ticket]],
      ['SKU-AB-12', [sku]],
      ['AB-12', [sku]],
      ['sku', [sku]],
      ['1Z999AA10123456784', [ups]],
      ['10123456784', [ups]],
      ['1z999aa1', [ups]],
      ['#1234', [ticket]],
      ['(PO-1234),', [po]],
      ['PO-1234 or SKU-AB-12', [po, sku]],
      ['1234 -ticket', [po, ups]],
      ['PO-12345', []],
    ];
    for (const [q, expected] of cases) {
      expect({ q, found: await foundIds(ana, { q }) }).toEqual({ q, found: [...expected].sort() });
    }
  });

  it('matches quoted phrases only with their words in order and stems plain words', async () => {
    const [ana, ben] = [await person('axiom'), await person('axiom')];
    const conversationId = await group(ana, [ben]);
    const inOrder = await send(ana, conversationId, 'The customer says the delivery delayed again');
    const reversed = await send(ben, conversationId, 'Delayed, as usual: the delivery');
    expect(await foundIds(ana, { q: '"delivery delayed"' })).toEqual([inOrder]);
    expect(await foundIds(ana, { q: 'delivery delayed' })).toEqual([inOrder, reversed].sort());
    expect(await foundIds(ana, { q: 'delays' })).toEqual([inOrder, reversed].sort());
    expect(await foundIds(ana, { q: '"delivery delayed' })).toEqual([inOrder]);
  });

  it('finds either side of or and leaves out -excluded words', async () => {
    const [ana, ben] = [await person('axiom'), await person('axiom')];
    const conversationId = await group(ana, [ben]);
    const [a, b, c] = [uniqueWord(), uniqueWord(), uniqueWord()];
    const first = await send(ana, conversationId, `${a} shipped`);
    const second = await send(ana, conversationId, `${b} shipped`);
    const third = await send(ana, conversationId, `${c} cancelled`);
    expect(await foundIds(ana, { q: `${a} or ${b}` })).toEqual([first, second].sort());
    expect(await foundIds(ana, { q: `${a} OR ${c} shipped` })).toEqual([first]);
    expect(await foundIds(ana, { q: `shipped -${a}` })).toEqual([second]);
    expect(await foundIds(ana, { q: `-"${c} cancelled" ${c} or ${a}` })).toEqual([first]);
    expect(third).toBeTruthy();
  });

  it('narrows by conversation, sender, date range and links', async () => {
    const [ana, ben, cy] = [await person('axiom'), await person('axiom'), await person('axiom')];
    const [one, two] = [await group(ana, [ben]), await group(ana, [cy])];
    const word = uniqueWord();
    const inOne = await send(ana, one, `${word} from Ana`);
    const fromBen = await send(ben, one, `${word} from Ben with https://shop.example.com/orders/9`);
    const inTwo = await send(cy, two, `${word} from Cy, see www.example.com`);
    const january = await send(ana, two, `${word} in January`);
    const lastOfJanuary = await send(ana, two, `${word} late on the last day of January`);
    const setDate = (id: string, at: string) =>
      parley.server.db.query('update messages set created_at = $1 where id = $2', [at, Number(id)]);
    await setDate(january, '2024-01-10T12:00:00Z');
    await setDate(lastOfJanuary, '2024-01-31T23:30:00Z');

    expect(await foundIds(ana, { q: word, conversationId: one })).toEqual([inOne, fromBen].sort());
    expect(await foundIds(ana, { q: word, senderId: ben.id })).toEqual([fromBen]);
    expect(await foundIds(ana, { q: word, from: '2024-01-01', to: '2024-01-31' })).toEqual(
      [january, lastOfJanuary].sort(),
    );
    expect(await foundIds(ana, { q: word, to: '2024-01-31T00:00:00Z' })).toEqual([january]);
    expect(await foundIds(ana, { q: word, from: '2024-02-01' })).toEqual([inOne, fromBen, inTwo].sort());
    expect(await foundIds(ana, { q: word, hasLink: true })).toEqual([fromBen, inTwo].sort());
    expect(await foundIds(ana, { q: word, hasLink: false })).toEqual([inOne, january, lastOfJanuary].sort());
    // A conversation the user is not in narrows to nothing rather than telling whether it exists.
    expect(await foundIds(cy, { q: word, conversationId: one })).toEqual([]);
  });

  it('narrows to a record: its thread and the internal notes about it, never the notes of others', async () => {
    const orderId = String(Math.floor(Math.random() * 1e9));
    const declared = await api(parley.url, 'PUT', `/api/records/order/${orderId}`, {
      token: hostKey,
      body: { title: `Order ${orderId}`, orgIds: ['axiom', 'oracare'] },
    });
    expect(declared.status).toBe(200);
    const [clerk, client] = [await person('axiom'), await person('oracare')];
    const opened = await api(parley.url, 'POST', '/api/records/open', {
      token: clerk.token,
      body: { type: 'order', id: orderId },
    });
    expect(opened.status).toBe(200);
    const { conversation, notes } = opened.body;
    expect(notes?.kind).toBe('notes');
    const clientOpened = await api(parley.url, 'POST', '/api/records/open', {
      token: client.token,
      body: { type: 'order', id: orderId },
    });
    expect(clientOpened.status).toBe(200);
    const word = uniqueWord();
    const inThread = await send(clerk, conversation.id, `${word} in the thread`);
    const inNotes = await send(clerk, notes.id, `${word} in the notes: client pays late`);
    const elsewhere = await send(clerk, await group(clerk, [await person('axiom')]), `${word} elsewhere`);

    const record = { q: word, recordType: 'order', recordId: orderId };
    expect(await foundIds(clerk, record)).toEqual([inThread, inNotes].sort());
    expect(await foundIds(clerk, { q: word })).toEqual([inThread, inNotes, elsewhere].sort());
    expect(await foundIds(client, record)).toEqual([inThread]);
    const hit = (await search(clerk, { q: `${word} notes` })).body.hits[0] as SearchHit;
    expect(hit.conversation).toEqual({
      id: notes.id,
      kind: 'notes',
      name: `Order ${orderId}`,
      record: { type: 'order', id: orderId, title: `Order ${orderId}` },
    });
    expect((await search(clerk, { q: word, recordType: 'order' })).status).toBe(400);
  });

  it('never finds for a client user a word that exists only in the admins-only #internal channel', async () => {
    const [admin, client] = [await person('axiom', 'admin'), await person('oracare')];
    const secret = uniqueWord();
    const channel = await api(parley.url, 'POST', '/api/conversations', {
      token: admin.token,
      body: {
        kind: 'channel',
        name: `internal-${randomUUID().slice(0, 8)}`,
        policy: { orgIds: ['axiom'], minRole: 'admin', visibility: 'private' },
      },
    });
    expect(channel.status).toBe(201);
    const secretId = await send(admin, channel.body.conversation.id, `margin on this client: ${secret}`);
    const shared = await group(admin, [client]);
    const sharedId = await send(admin, shared, 'your order ships on Monday');

    expect(await foundIds(admin, { q: secret })).toEqual([secretId]);
    expect(await foundIds(client, { q: secret })).toEqual([]);
    expect(await foundIds(client, { q: `${secret} or monday` })).toEqual([sharedId]);
    expect(await foundIds(client, { q: secret, conversationId: channel.body.conversation.id })).toEqual([]);
  });

  it('stops finding the text of a conversation the moment the user is removed from it', async () => {
    const [admin, client] = [await person('axiom', 'admin'), await person('oracare')];
    const channel = await api(parley.url, 'POST', '/api/conversations', {
      token: admin.token,
      body: {
        kind: 'channel',
        name: `oracare-${randomUUID().slice(0, 8)}`,
        memberIds: [client.id],
        policy: { orgIds: ['axiom', 'oracare'], minRole: 'viewer', visibility: 'private' },
      },
    });
    expect(channel.status).toBe(201);
    const word = uniqueWord();
    const id = await send(admin, channel.body.conversation.id, `${word} for the client`);
    expect(await foundIds(client, { q: word })).toEqual([id]);
    const removed = await fetch(
      `${parley.url}/api/admin/channels/${channel.body.conversation.id}/members/${client.id}`,
      { method: 'DELETE', headers: { authorization: `Bearer ${admin.token}` } },
    );
    expect(removed.status).toBe(204);
    expect(await foundIds(client, { q: word })).toEqual([]);
  });

  it('does not find deleted messages, nor the text an edit replaced', async () => {
    const [ana, ben] = [await person('axiom'), await person('axiom')];
    const conversationId = await group(ana, [ben]);
    const [gone, before, after] = [uniqueWord(), uniqueWord(), uniqueWord()];
    const deleted = await send(ana, conversationId, `${gone} then deleted`);
    const edited = await send(ana, conversationId, `${before} first draft`);
    await parley.server.db.query('update messages set deleted_at = now() where id = $1', [Number(deleted)]);
    await parley.server.db.query('update messages set body = $1, edited_at = now() where id = $2', [
      `${after} second draft`,
      Number(edited),
    ]);
    expect(await foundIds(ana, { q: gone })).toEqual([]);
    expect(await foundIds(ana, { q: before })).toEqual([]);
    expect(await foundIds(ana, { q: after })).toEqual([edited]);
    expect(await foundIds(ana, { q: 'draft' })).toEqual([edited]);
  });

  it('pages through every hit once, best first, with the cursor', async () => {
    const [ana, ben] = [await person('axiom'), await person('axiom')];
    const conversationId = await group(ana, [ben]);
    const word = uniqueWord();
    const sent: string[] = [];
    for (let i = 0; i < 23; i++) {
      sent.push(await send(i % 2 ? ana : ben, conversationId, `${word} ${i % 3 ? '' : `${word} `}note ${i}`));
    }
    const seen: SearchHit[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: SearchResponse } = await search(ana, {
        q: word,
        limit: 5,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.status).toBe(200);
      expect(page.body.hits.length).toBeLessThanOrEqual(5);
      seen.push(...page.body.hits);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.map((hit) => hit.message.id).sort()).toEqual([...sent].sort());
    const ranks = seen.map((hit) => hit.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(seen.slice(0, 8).every((hit) => hit.message.body.split(word).length === 3)).toBe(true);

    const first = await search(ana, { q: word, limit: 5 });
    const foreign = await search(ana, { q: `${word} note`, cursor: first.body.nextCursor as string });
    expect(foreign.status).toBe(400);
    expect((await search(ana, { q: word, cursor: 'not-a-cursor' })).status).toBe(400);
  });

  it('finds the same hits, only readable ones, page by page, whichever way it ranks them', async () => {
    const [ana, ben, eve] = [await person('axiom'), await person('axiom'), await person('axiom')];
    const conversationId = await group(ana, [ben]);
    const word = uniqueWord();
    await send(eve, await group(eve, [ben]), `${word} where Ana is not`);
    const sent: string[] = [];
    for (let i = 0; i < 17; i++)
      sent.push(await send(ana, conversationId, `${word} ${i % 4 ? 'plain' : word}`));
    const me = {
      id: ana.id,
      displayName: ana.id,
      email: null,
      orgId: 'axiom',
      orgKind: 'internal',
      role: 'member',
    } as const;
    // Windows of four matches read from everyone's messages, and windows that read only five of Ana's.
    const ways = [
      { strategy: 'all', windowSpan: 1 },
      { strategy: 'recent', windowSpan: 1_000_000 },
      { strategy: 'recent', windowSpan: 5 },
    ] as const;
    for (const { strategy, windowSpan } of ways) {
      const search = createSearch({
        db: parley.server.db,
        tuning: { exactRankingRows: 0, windowSize: 4, windowSpan, strategy },
      });
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 100; pages++) {
        const page = await search.search(me, { q: word, limit: 3, ...(cursor ? { cursor } : {}) });
        seen.push(...page.hits.map((hit) => hit.message.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect({ strategy, windowSpan, seen: seen.sort() }).toEqual({
        strategy,
        windowSpan,
        seen: [...sent].sort(),
      });
    }
  });

  it('answers hostile queries with no hits or invalid_query, never a failure, and changes nothing', async () => {
    const [ana, ben] = [await person('axiom'), await person('axiom')];
    const conversationId = await group(ana, [ben]);
    await send(ana, conversationId, "it's a 100% ok_ish order; path C:\\temp & more");
    await send(ana, conversationId, 'batch LOTX7781 and 1000 units');
    const before = await parley.server.db.query<{ count: number; digest: string }>(
      `select count(*)::int as count, md5(string_agg(body, '|' order by id)) as digest from messages`,
    );
    const hostile = [
      "'",
      '&|!:*',
      'x'.repeat(10_000),
      'word '.repeat(2_000),
      'the and of',
      '"unbalanced quote',
      '""',
      '-',
      'or',
      '-order',
      '',
      '   ',
      '\u0000',
      'order\u0000ok',
      "') or 1=1; drop table messages; --",
      '%',
      '_',
      '\\',
      '100%',
      'ok_ish',
      'C:\\temp',
      "it's",
      '!!order',
      'order:*',
      '<script>alert(1)</script>',
      '🙂 order',
      Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '),
    ];
    for (const q of hostile) {
      const response = await search(ana, { q });
      const outcome =
        response.status === 200 ? 'ok' : `${response.status} ${response.body.error?.code ?? '(no code)'}`;
      expect({ q: q.slice(0, 40), outcome }).toEqual({
        q: q.slice(0, 40),
        outcome: expect.stringMatching(/^(ok|400 invalid_query)$/),
      });
    }
    expect((await search(ana, { q: 'ok_ish' })).body.hits).toHaveLength(1);
    // LIKE wildcards in an identifier are literal characters.
    expect((await search(ana, { q: 'LOTX7781' })).body.hits).toHaveLength(1);
    expect((await search(ana, { q: 'LOT_7781' })).body.hits).toHaveLength(0);
    expect((await search(ana, { q: '10%0' })).body.hits).toHaveLength(0);
    expect((await search(ana, { q: 'the and of' })).body.hits).toEqual([]);
    expect((await search(ana, { q: 'x'.repeat(501) })).body.error?.code).toBe('invalid_query');
    const after = await parley.server.db.query<{ count: number; digest: string }>(
      `select count(*)::int as count, md5(string_agg(body, '|' order by id)) as digest from messages`,
    );
    expect(after).toEqual(before);
  });

  it('returns snippets as plain text segments with the matches highlighted, markup included as text', async () => {
    const [ana, ben] = [await person('axiom'), await person('axiom')];
    const conversationId = await group(ana, [ben]);
    const word = uniqueWord();
    const html = `<img src=x onerror="alert(1)"> ${word} <b>shipped</b> &amp; PO-7781`;
    await send(ana, conversationId, html);
    const [hit] = (await search(ana, { q: `${word} 7781` })).body.hits as SearchHit[];
    expect(hit?.snippet.map((segment) => segment.text).join('')).toBe(html);
    expect(hit?.snippet.filter((segment) => segment.highlight).map((segment) => segment.text)).toEqual([
      word,
      '7781',
    ]);
    expect(hit?.sender.displayName).toBe(`Name ${ana.id}`);

    const long = `${'Filler words about nothing in particular. '.repeat(20)}Then ${word} appears. ${'More filler to follow. '.repeat(20)}`;
    await send(ben, conversationId, long);
    const [longHit] = (await search(ana, { q: `${word} appears` })).body.hits as SearchHit[];
    const text = longHit?.snippet.map((segment) => segment.text).join('') ?? '';
    expect(text.startsWith('… ') && text.endsWith(' …')).toBe(true);
    expect(text.length).toBeLessThan(220);
    expect(longHit?.snippet.filter((segment) => segment.highlight).map((s) => s.text)).toEqual([
      word,
      'appears',
    ]);
  });

  it('is what the SDK search method returns', async () => {
    const [ana, ben] = [await person('axiom'), await person('axiom')];
    const conversationId = await group(ana, [ben]);
    const word = uniqueWord();
    const id = await send(ben, conversationId, `${word} via the SDK`);
    const client = createParleyClient({ url: parley.url, getToken: async () => ana.token });
    const page = await client.search({ q: word, conversationId, hasLink: false, limit: 10 });
    expect(page.hits.map((hit) => [hit.message.id, hit.message.conversationId, hit.message.seq])).toEqual([
      [id, conversationId, 1],
    ]);
    await expect(client.search({ q: '' })).rejects.toMatchObject({ body: { code: 'invalid_query' } });
    client.close();
  });
});
