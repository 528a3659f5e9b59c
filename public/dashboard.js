// The demo host's dashboard: a user switcher, Orders and Inventory views (hash routes), and the Parley widget
// docked beside every view, with "Chat about this order" opening each order's thread. The order table follows
// status changes live: the user's own, and everyone's on the orders whose threads the user is in.
import { demoPost, demoUsersByOrg, getToken, signedInUserId, signIn } from './demo-session.js';

const DEFAULT_USER = 'ana';
const STATUS_LABELS = { received: 'Received', packed: 'Packed', shipped: 'Shipped', delivered: 'Delivered' };
const inventory = [
  {
    sku: 'SKU-AB-12',
    product: 'Vitamin D3 drops, 30 ml',
    supplier: 'Northwind Manufacturing',
    onHand: 1240,
    reserved: 500,
  },
  {
    sku: 'SKU-CD-07',
    product: 'Omega-3 softgels, 90 ct',
    supplier: 'Northwind Manufacturing',
    onHand: 310,
    reserved: 120,
  },
  {
    sku: 'SKU-EF-03',
    product: 'Zinc lozenges, 60 ct',
    supplier: 'Northwind Manufacturing',
    onHand: 46,
    reserved: 40,
  },
  {
    sku: 'SKU-GH-21',
    product: 'Magnesium glycinate, 120 ct',
    supplier: 'Northwind Manufacturing',
    onHand: 0,
    reserved: 0,
  },
  {
    sku: 'SKU-JK-02',
    product: 'Probiotic sachets, 14 ct',
    supplier: 'Northwind Manufacturing',
    onHand: 880,
    reserved: 64,
  },
];
const LOW_STOCK = 100;

/** The top bar's height (dashboard.css): the docked chat opens below it. */
const HEADER_HEIGHT = 56;
/** The orders as last heard, by id: from the order list, the user's own changes, and the chat. */
const orders = new Map();

const byId = (id) => document.getElementById(id);
const dateFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

// ---- routing: #/orders, #/orders/1234, #/inventory ----
function route() {
  const [, view = 'orders', id] = location.hash.split('/');
  return { view: view === 'inventory' ? 'inventory' : 'orders', id };
}

function showRoute() {
  const { view, id } = route();
  byId('orders-view').hidden = view !== 'orders';
  byId('inventory-view').hidden = view !== 'inventory';
  for (const link of document.querySelectorAll('.nav a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `Axiom Fulfillment · ${view === 'inventory' ? 'Inventory' : 'Orders'}`;
  for (const row of document.querySelectorAll('#order-rows tr[data-order]')) {
    row.classList.toggle('selected', row.dataset.order === id);
    if (row.dataset.order === id) row.scrollIntoView({ block: 'nearest' });
  }
}

// ---- user switcher ----
async function fillSwitcher() {
  const select = byId('user-switcher');
  const groups = await demoUsersByOrg();
  select.replaceChildren(
    ...groups.map(([orgName, users]) => {
      const group = el('optgroup');
      group.label = orgName;
      for (const user of users) {
        const option = new Option(`${user.displayName} (${user.role})`, user.id);
        group.append(option);
      }
      return group;
    }),
  );
  select.value = signedInUserId() ?? '';
  select.addEventListener('change', async () => {
    await signIn(select.value);
    location.reload();
  });
}

// ---- orders ----
function chatButton(order, note) {
  const button = el('button', 'button button-small', 'Chat about this order');
  button.type = 'button';
  button.addEventListener('click', async () => {
    note.hidden = true;
    button.disabled = true;
    try {
      // The host's back-end signs a grant saying this user may see the order (docs/records.md).
      const { grant } = await demoPost(`/api/demo/orders/${encodeURIComponent(order.id)}/grant`);
      await window.Parley.openThread({
        type: 'order',
        id: order.id,
        title: `Order #${order.id}`,
        url: `${location.origin}/demo.html#/orders/${order.id}`,
        grant,
      });
    } catch (error) {
      note.textContent = `Chat is not available for this order yet (${error.message}).`;
      note.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** The host's own status control: a change updates the order and posts an event into its thread. */
function statusControl(order, note) {
  const select = el('select', 'status-select');
  select.setAttribute('aria-label', `Status of order #${order.id}`);
  for (const [value, label] of Object.entries(STATUS_LABELS)) {
    const option = el('option', '', label);
    option.value = value;
    option.selected = value === order.status;
    select.append(option);
  }
  select.addEventListener('change', async () => {
    note.hidden = true;
    select.disabled = true;
    try {
      const { order: updated } = await demoPost(`/api/demo/orders/${encodeURIComponent(order.id)}/status`, {
        status: select.value,
      });
      showOrder(updated);
    } catch (error) {
      note.textContent = `The status could not be changed (${error.message}).`;
      note.hidden = false;
      select.value = orders.get(order.id).status;
    } finally {
      select.disabled = false;
    }
  });
  return select;
}

/** A table cell; `label` names its value where the table shows as cards (phones). */
function cell(className, label, ...children) {
  const node = el('td', className, ...children);
  if (label) node.dataset.label = label;
  return node;
}

function orderRow(order) {
  const note = el('p', 'inline-note');
  note.setAttribute('role', 'status');
  note.hidden = true;
  const link = el('a', 'order-link', `#${order.id}`);
  link.href = `#/orders/${order.id}`;
  const row = el(
    'tr',
    '',
    cell('strong card-title', '', link),
    cell('card-badge', '', el('span', 'status')),
    cell('', 'Customer', order.customer),
    cell('mono nowrap', 'SKU', order.sku),
    cell('nowrap', 'Ship date', dateFormat.format(new Date(`${order.shipDate}T12:00:00`))),
    cell('actions', '', el('div', 'row-actions', statusControl(order, note), chatButton(order, note)), note),
  );
  row.dataset.order = order.id;
  return row;
}

/** Shows an order's status in its row and in the counts, wherever the change came from. */
function showOrder(order) {
  orders.set(order.id, order);
  const row = document.querySelector(`#order-rows tr[data-order="${CSS.escape(order.id)}"]`);
  if (row) {
    const pill = row.querySelector('.status');
    pill.className = `status status-${order.status}`;
    pill.textContent = STATUS_LABELS[order.status] ?? order.status;
    row.querySelector('.status-select').value = order.status;
  }
  const count = (status) => [...orders.values()].filter((candidate) => candidate.status === status).length;
  byId('order-stats').replaceChildren(
    ...[
      ['To pack', count('received')],
      ['Ready to ship', count('packed')],
      ['In transit', count('shipped')],
    ].map(([label, value]) => el('div', 'stat', el('strong', '', String(value)), el('span', '', label))),
  );
}

/** An order thread's record as the chat has it: the back-end keeps the status in the context card. */
function followOrderThread(record) {
  const order = record.type === 'order' ? orders.get(record.id) : undefined;
  const status = record.context.Status;
  if (order && status in STATUS_LABELS && status !== order.status) showOrder({ ...order, status });
}

async function fetchOrders() {
  const response = await fetch('/api/demo/orders');
  if (!response.ok) throw new Error(`request failed (${response.status})`);
  return (await response.json()).orders;
}

async function showOrders() {
  const rows = byId('order-rows');
  try {
    const list = await fetchOrders();
    rows.replaceChildren(...list.map(orderRow));
    for (const order of list) showOrder(order);
  } catch (error) {
    const failure = el('td', 'muted', `Orders could not be loaded: ${error.message}`);
    failure.colSpan = 6;
    rows.replaceChildren(el('tr', '', failure));
  }
  showRoute();
}

/**
 * The chat tells of the orders whose threads the user is in; back in this window, the table also catches up
 * with the others, changed meanwhile in another window.
 */
function refreshOnReturn() {
  const refresh = () =>
    fetchOrders().then(
      (list) => {
        for (const order of list) if (orders.has(order.id)) showOrder(order);
      },
      (error) => console.warn('The orders could not be refreshed.', error),
    );
  window.addEventListener('focus', refresh);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) refresh();
  });
}

function showInventory() {
  byId('inventory-rows').replaceChildren(
    ...inventory.map((item) => {
      const available = item.onHand - item.reserved;
      const [label, tone] =
        item.onHand === 0
          ? ['Out of stock', 'out']
          : available < LOW_STOCK
            ? ['Low', 'low']
            : ['In stock', 'ok'];
      return el(
        'tr',
        '',
        cell('mono strong card-title', '', item.sku),
        cell('', 'Product', item.product),
        cell('', 'Supplier', item.supplier),
        cell('number', 'On hand', item.onHand.toLocaleString()),
        cell('number', 'Reserved', item.reserved.toLocaleString()),
        cell('card-badge', '', el('span', `stock stock-${tone}`, label)),
      );
    }),
  );
}

async function start() {
  window.addEventListener('hashchange', showRoute);
  showInventory();
  showRoute();
  // Each tab is one user: sign in as the default user the first time, then keep the tab's choice.
  if (!signedInUserId()) await signIn(DEFAULT_USER);
  await Promise.all([fillSwitcher(), showOrders()]);
  window.Parley.on('record', followOrderThread);
  refreshOnReturn();
  // Docked below the top bar, the chat takes a column of its own: the page makes room (dashboard.css).
  await window.Parley.init({
    server: location.origin,
    getToken,
    orderUrl: '/demo.html#/orders/{id}',
    mode: 'docked',
    offset: { top: HEADER_HEIGHT },
  });
}

start().catch((error) => console.error('The demo dashboard could not start.', error));
