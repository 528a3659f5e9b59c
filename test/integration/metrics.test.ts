// Prometheus metrics, scraped from a real server while people talk over real sockets: the endpoint refuses a
// scraper without the token, serves no metrics at all unless asked to, and its figures move by exactly what
// happened.
import { describe, expect, it } from 'vitest';
import { acme, axiom, knownPerson } from '../helpers/access.ts';
import { findFreePort } from '../helpers/child-server.ts';
import { api, sendOnSocket } from '../helpers/clients.ts';
import { startDirect } from '../helpers/conversations.ts';
import { testDrivers } from '../helpers/drivers.ts';
import { collectMessages } from '../helpers/events.ts';
import { useTestServer } from '../helpers/test-server.ts';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789abcdef';

async function scrape(url: string, token: string | undefined = METRICS_TOKEN) {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** The value of one series (`name` or `name{label="value"}`) in a scrape; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** What moved between two scrapes, for the series named. */
function moved(before: string, after: string, series: string): number {
  return (sample(after, series) ?? Number.NaN) - (sample(before, series) ?? 0);
}

describe.each(testDrivers())('metrics on Parley’s port, behind a token, on %s', (driver) => {
  const parley = useTestServer(driver, {
    // Webhooks may reach this machine, where nothing listens on the port the last test registers.
    env: { PARLEY_METRICS_TOKEN: METRICS_TOKEN, PARLEY_WEBHOOK_ALLOW: '127.0.0.1/32' },
  });
  const metricsUrl = () => `${parley.url}/metrics`;

  it('answers 401 unauthorized without the token or with another one', async () => {
    expect(parley.server.metricsUrl).toBe(metricsUrl());
    for (const token of [undefined, 'someone-elses-token-0123456789abcdefghij']) {
      const response = await fetch(
        metricsUrl(),
        token ? { headers: { authorization: `Bearer ${token}` } } : {},
      );
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
  });

  it('counts the sockets, messages, acks, batches, fan-outs and catch-ups that happened', async () => {
    const [ana, ben] = [
      await knownPerson(parley.url, 'ana', acme),
      await knownPerson(parley.url, 'ben', acme),
    ];
    const dm = await startDirect(parley.url, ana, ben);
    const before = await scrape(metricsUrl());
    expect(before.status).toBe(200);
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);

    const anaSocket = await parley.open(ana.token);
    const [benSocket, benTab] = [await parley.open(ben.token), await parley.open(ben.token)];
    const benInbox = collectMessages(benSocket);
    const sends = 5;
    for (let i = 0; i < sends; i++) {
      expect((await sendOnSocket(anaSocket, { conversationId: dm.id, body: `message ${i}` })).ok).toBe(true);
    }
    await benInbox.waitFor(sends);
    const resumed = await benTab.emitWithAck('sync', { cursors: { [dm.id]: 0 } });
    expect(resumed.ok).toBe(true);

    const after = (await scrape(metricsUrl())).text;
    expect(sample(after, 'parley_connected_sockets')).toBe(3);
    expect(moved(before.text, after, 'parley_messages_appended_total')).toBe(sends);
    expect(moved(before.text, after, 'parley_send_ack_seconds_count')).toBe(sends);
    expect(moved(before.text, after, 'parley_append_batch_messages_sum')).toBe(sends);
    const batches = moved(before.text, after, 'parley_append_batch_messages_count');
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(batches).toBeLessThanOrEqual(sends);
    expect(moved(before.text, after, 'parley_fanout_seconds_count')).toBe(batches);
    expect(moved(before.text, after, 'parley_sync_catch_up_messages_count')).toBe(1);
    expect(moved(before.text, after, 'parley_sync_catch_up_messages_sum')).toBe(sends);
    expect(moved(before.text, after, 'parley_db_query_seconds_count{kind="query"}')).toBeGreaterThan(0);
    expect(moved(before.text, after, 'parley_sends_shed_total{reason="queue_full"}')).toBe(0);
    expect(sample(after, 'parley_rate_limited_total{limit="send"}')).toBe(0);
  });

  it('reports the queues, the event loop and the pool where the driver has one', async () => {
    const { text } = await scrape(metricsUrl());
    for (const state of ['pending', 'due', 'failing']) {
      expect(sample(text, `parley_webhook_deliveries{state="${state}"}`)).toBe(0);
      expect(sample(text, `parley_notification_steps{state="${state}"}`)).toBe(0);
    }
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    const pool = sample(text, 'parley_db_pool_connections{state="total"}');
    if (driver === 'postgres') expect(pool).toBeGreaterThan(0);
    else expect(pool).toBeUndefined();
  });

  it('counts a webhook delivery that failed and waits to be retried', async () => {
    const admin = await knownPerson(parley.url, 'ada', { ...axiom, role: 'admin' });
    const bob = await knownPerson(parley.url, 'bob', axiom);
    const closedPort = await findFreePort();
    const registered = await api(parley.url, 'POST', '/api/admin/webhooks', {
      token: admin.token,
      body: { url: `http://127.0.0.1:${closedPort}/hook`, events: ['message.created'] },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const before = (await scrape(metricsUrl())).text;

    const dm = await startDirect(parley.url, admin, bob);
    const sent = await sendOnSocket(await parley.open(admin.token), {
      conversationId: dm.id,
      body: 'hook me',
    });
    expect(sent.ok).toBe(true);

    await expect
      .poll(async () =>
        sample((await scrape(metricsUrl())).text, 'parley_webhook_deliveries{state="failing"}'),
      )
      .toBe(1);
    const after = (await scrape(metricsUrl())).text;
    expect(sample(after, 'parley_webhook_deliveries{state="pending"}')).toBe(1);
    expect(moved(before, after, 'parley_webhook_delivery_failures_total{outcome="retry"}')).toBe(1);
    expect(moved(before, after, 'parley_webhook_delivery_failures_total{outcome="failed"}')).toBe(0);
  });
});

describe('metrics on a listener of their own', () => {
  const parley = useTestServer('pglite', { env: { PARLEY_METRICS_PORT: '0' } });

  it('serves them on loopback without a token, and not on Parley’s port', async () => {
    const metricsUrl = parley.server.metricsUrl ?? '';
    expect(new URL(metricsUrl).hostname).toBe('127.0.0.1');
    expect(new URL(metricsUrl).port).not.toBe(new URL(parley.url).port);
    const own = await scrape(metricsUrl, undefined);
    expect(own.status).toBe(200);
    expect(sample(own.text, 'parley_messages_appended_total')).toBe(0);
    expect((await api(parley.url, 'GET', '/metrics')).status).toBe(404);
  });
});

describe('metrics nobody asked for', () => {
  const parley = useTestServer('pglite');

  it('are served nowhere', async () => {
    expect(parley.server.metricsUrl).toBeNull();
    const answer = await api(parley.url, 'GET', '/metrics');
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('not_found');
  });
});
