// The demo host's orders: what its dashboard lists, what record threads are about, and the back-end that
// declares them and posts status changes into their threads over Parley's HTTP API with its API key, as a
// real host's back-end does.

import { type ErrorResponse, ParleyError } from '../../protocol/errors.ts';
import type { RecordContext } from '../../protocol/models.ts';
import type { SendMessageResponse } from '../../protocol/rest.ts';
import { DEMO_KEY_ID } from '../domain/identity/token-verifier.ts';
import { signRecordGrant } from './tokens.ts';

export interface DemoOrder {
  id: string;
  customer: string;
  status: 'received' | 'packed' | 'shipped' | 'delivered';
  shipDate: string;
  sku: string;
}

const orders: DemoOrder[] = [
  {
    id: '1234',
    customer: 'Oracare Leeds clinic',
    status: 'packed',
    shipDate: '2026-11-25',
    sku: 'SKU-AB-12',
  },
  {
    id: '1235',
    customer: 'Oracare Bristol clinic',
    status: 'received',
    shipDate: '2026-11-26',
    sku: 'SKU-AB-12',
  },
  {
    id: '1236',
    customer: 'Oracare online store',
    status: 'shipped',
    shipDate: '2026-11-24',
    sku: 'SKU-CD-07',
  },
  {
    id: '1237',
    customer: 'Oracare Leeds clinic',
    status: 'delivered',
    shipDate: '2026-11-20',
    sku: 'SKU-EF-03',
  },
];

/** Who may see an order's thread: the company, its client and the manufacturer who makes the product. */
const ORDER_AUDIENCE = ['axiom', 'oracare', 'northwind'];
const GRANT_TTL_SECONDS = 10 * 60;

export interface DemoOrdersDeps {
  /** The order system's API key (`pk_…`). */
  hostKey: string;
  /** The demo's own signing secret (never the operator's). */
  demoSecret: string;
  /**
   * Where this Parley process listens. The API key goes only there — never to PARLEY_PUBLIC_URL, which may
   * name another host (a proxy, or a mistake).
   */
  parleyUrl: () => string;
  /** Where people open the dashboard: the links in each order's context card. */
  pageUrl: () => string;
}

/** The demo's order system, calling Parley's server-to-server API as a host's back-end would. */
export function createDemoOrders({ hostKey, demoSecret, parleyUrl, pageUrl }: DemoOrdersDeps) {
  const find = (id: string) => {
    const order = orders.find((candidate) => candidate.id === id);
    if (!order) throw new ParleyError('not_found', `no order ${id}`);
    return order;
  };
  const context = (order: DemoOrder): RecordContext => ({
    Status: order.status,
    Customer: order.customer,
    'Ship date': order.shipDate,
    SKU: order.sku,
  });

  /** One call to Parley's server-to-server API; a refusal keeps Parley's code for the dashboard. */
  async function callParley<T>(method: 'PUT' | 'POST', path: string, body: object): Promise<T> {
    const response = await fetch(`${parleyUrl()}${path}`, {
      method,
      headers: { authorization: `Bearer ${hostKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      // A redirect would carry the key elsewhere.
      redirect: 'error',
    });
    const answer = (await response.json()) as T | ErrorResponse;
    if (response.ok) return answer as T;
    const { error } = answer as ErrorResponse;
    throw new ParleyError(error.code, `Parley refused ${method} ${path}: ${error.message}`);
  }

  const declare = (order: DemoOrder) =>
    callParley('PUT', `/api/records/order/${encodeURIComponent(order.id)}`, {
      title: `Order #${order.id}`,
      url: `${pageUrl()}/demo.html#/orders/${order.id}`,
      context: context(order),
      orgIds: ORDER_AUDIENCE,
    });

  return {
    list: () => orders,

    /** The orders whose threads people of this organisation may open. */
    openableBy: (orgId: string) => (ORDER_AUDIENCE.includes(orgId) ? orders.map((order) => order.id) : []),

    async declareAll() {
      for (const order of orders) await declare(order);
    },

    /**
     * The grant the host's page passes to `Parley.openThread` for this order. The back-end declares the
     * record first, so its thread opens with the order's context card.
     */
    async grant(id: string) {
      const order = find(id);
      await declare(order);
      return signRecordGrant(
        demoSecret,
        { record: { type: 'order', id: order.id }, orgs: ORDER_AUDIENCE, title: `Order #${order.id}` },
        GRANT_TTL_SECONDS,
        { keyId: DEMO_KEY_ID },
      );
    },

    /** A status change in the host: the record's card follows and an event lands in its thread. */
    async setStatus(id: string, status: DemoOrder['status']) {
      const order = find(id);
      order.status = status;
      await declare(order);
      const { message } = await callParley<SendMessageResponse>(
        'POST',
        `/api/records/order/${encodeURIComponent(order.id)}/messages`,
        {
          body: `Order #${order.id} is now ${status}.`,
          clientMsgId: `demo-status-${order.id}-${status}-${Date.now()}`,
        },
      );
      return { order, message };
    },
  };
}

export type DemoOrders = ReturnType<typeof createDemoOrders>;
