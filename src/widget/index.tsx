// The widget's entry point. `<script src="https://CHAT/widget.js" data-token-url="/api/chat/token" async>`
// starts it from its own tag; `window.Parley` lets the host drive it: init, open, close, openConversation,
// on('unread' | 'ready' | 'conversation' | 'record'), setTheme, logout.
import { browserStorage, tokenFromUrl } from '../client/index.ts';
import { App } from './components/App.tsx';
import { createChatElement, type ParleyChatElement } from './element.ts';
import { timeFormat } from './format.ts';
import { ORDER_REFERENCE, type RecordReference, referencePattern } from './markdown.ts';
import { linkedMessage } from './message-link.ts';
import { unlockSound, watchIncoming } from './notifications.ts';
import { forgetPlace, keepPlace, openConversationOf } from './place.ts';
import { type Layout, layoutOf, type Offset, offsetProperties } from './placement.ts';
import { type RecordChange, recordsInChat, watchRecords } from './record-watch.ts';
import { WidgetSession } from './session.ts';
import { type PanelState, type Route, Value, type WidgetContext } from './state.ts';
import { stringsFor } from './strings.ts';

export type Theme = 'light' | 'dark' | 'auto';

export interface InitOptions {
  /** Parley's origin, e.g. https://chat.example.com. */
  server: string;
  /** The host's endpoint answering `{ token }` for the logged-in user (called with the host's cookies). */
  tokenUrl?: string;
  /** Or a function returning a token; one of the two is required. */
  getToken?: () => Promise<string>;
  theme?: Theme;
  position?: 'left' | 'right';
  /** A BCP 47 tag choosing the strings table and date formats; the browser's language by default. */
  locale?: string;
  /** The host's page for an order named in a message (`#1234`, `order 1234`): a pattern like `/orders/{id}`. */
  orderUrl?: string;
  /**
   * How messages name host records, replacing the default (orders as `#1234` or `order 1234`): each
   * `pattern` is a regular expression whose one group is the record id; a reference opens the record's
   * thread, and its `url` (a pattern with `{id}`) is the record's page on the host. A reference links only
   * when the user can open the record (its thread is in their list, or their token's `records` claim names
   * it), unless `linkUnknown` is set: then every match links.
   */
  references?: { type: string; pattern: string; url?: string; linkUnknown?: boolean }[];
  /**
   * `floating` (the default) opens the panel over the page; `docked` opens it as a column at the `position`
   * side, beside the page, and sets `--parley-docked-width` on <html> while it is open so the host can make
   * room (on phones both fill the screen); `page` fills `container` with the panel (no launcher).
   */
  mode?: Layout;
  /** Pixels to keep clear of the viewport's edges, e.g. `{ top: 56 }` below the host's top bar. */
  offset?: Offset;
  /** Where the element goes: `document.body` by default; required in page mode. */
  container?: HTMLElement;
  /**
   * The conversation to show first, e.g. from the page's URL in page mode. Without it the floating
   * widget comes back to where this user was in this tab (the conversation, the panel open or not).
   */
  conversationId?: string;
  /**
   * The host's service worker for Parley's pushes (a file on the host's origin that imports Parley's
   * `push-worker.js`, docs/notifications.md): with it, the notification settings offer to turn on
   * notifications in this browser, and a click on a notification opens its conversation in this chat.
   */
  serviceWorker?: string;
}

interface ApiEvents {
  unread: (total: number) => void;
  ready: () => void;
  /** The conversation the panel shows: its id, or null for the list and the other views. */
  conversation: (conversationId: string | null) => void;
  record: (record: RecordChange) => void;
}

export interface RecordThreadRef {
  type: string;
  id: string;
  /** Shown by the host only: Parley takes the record's title and URL from the grant or the declaration. */
  title?: string;
  url?: string;
  /** A record grant the host signed for this user (docs/records.md); not needed for declared records. */
  grant?: string;
}

interface Instance {
  element: ParleyChatElement;
  panel: Value<PanelState>;
  session: WidgetSession | null;
  stop: (() => void)[];
}

// Captured while the script runs: afterwards `currentScript` is null.
const ownScript = document.currentScript as HTMLScriptElement | null;

let instance: Instance | null = null;
const listeners: { [E in keyof ApiEvents]: Set<ApiEvents[E]> } = {
  unread: new Set(),
  ready: new Set(),
  conversation: new Set(),
  record: new Set(),
};

async function init(options: InitOptions): Promise<void> {
  const getToken = options.getToken ?? (options.tokenUrl ? tokenFromUrl(options.tokenUrl) : undefined);
  if (!options.server || !getToken)
    throw new Error('Parley.init needs `server` and `tokenUrl` or `getToken`');
  const mode = layoutOf(options.mode);
  if (mode === 'page' && !options.container) throw new Error('Parley.init in page mode needs a `container`');
  const offsets = offsetProperties(options.offset);
  teardown(false);

  const element = createChatElement();
  for (const [name, value] of offsets) element.style.setProperty(name, value);
  element.setAttribute('theme', options.theme ?? 'auto');
  element.setAttribute('position', options.position ?? 'right');
  element.setAttribute('mode', mode);
  const linked = firstThread(options.conversationId);
  const first: PanelState = linked
    ? { open: true, route: linked }
    : { open: mode === 'page', route: { view: 'list' } };
  const panel = new Value<PanelState>(first);
  const current: Instance = { element, panel, session: null, stop: [] };
  instance = current;
  (options.container ?? document.body).append(element);

  const session = await WidgetSession.start({ server: options.server, getToken }).catch((error: unknown) => {
    // No token (the host says nobody is signed in) or no Parley: no widget, and the host hears why.
    if (instance === current) teardown(false);
    throw error;
  });
  if (instance !== current) {
    // Logged out or initialised again while the token was on its way.
    session.close(false);
    return;
  }
  current.session = session;
  const locale = options.locale ?? navigator.language;
  const strings = stringsFor(locale);
  const context: WidgetContext = {
    session,
    panel,
    announcement: new Value(''),
    toast: new Value(''),
    strings,
    locale,
    time: timeFormat(locale, strings),
    options: {
      server: options.server,
      mode,
      references: recordReferences(options),
      serviceWorker: options.serviceWorker,
    },
    go: (route) => panel.set({ open: true, route }),
    closePanel: () => {
      panel.set({ ...panel.get(), open: false });
      element.shadowRoot?.querySelector<HTMLElement>('.launcher')?.focus();
    },
  };
  if (mode !== 'page' && !linked)
    current.stop.push(keepPlace(panel, first, browserStorage('session'), session.userId));
  let shown = openConversationOf(panel.get());
  current.stop.push(
    panel.subscribe((state) => {
      if (openConversationOf(state) === shown) return;
      shown = openConversationOf(state);
      for (const listener of listeners.conversation) listener(shown);
    }),
    watchIncoming(context),
    session.on('unread', (total) => {
      for (const listener of listeners.unread) listener(total);
    }),
    watchRecords(session, (record) => {
      for (const listener of listeners.record) listener(record);
    }),
    openFromNotifications(options.serviceWorker),
    // The SDK stops retrying when the user has too many connections open; say why the widget stays offline.
    session.client.on('error', (error) => {
      if ('code' in error && error.code === 'too_many_connections')
        context.toast.set(strings.tooManyConnections);
    }),
  );
  element.show(<App context={context} />);
  for (const listener of listeners.ready) listener();
  // Listeners from before the start learn where the chat opened (a place brought back, the host's own).
  for (const listener of listeners.conversation) listener(shown);
}

/** A click on one of Parley's notifications, which the host's worker tells this page about, opens it here. */
function openFromNotifications(serviceWorker: string | undefined): () => void {
  if (!serviceWorker || !('serviceWorker' in navigator)) return () => {};
  const opened = (event: MessageEvent) => {
    const data = event.data as { type?: unknown; conversationId?: unknown } | null;
    if (data?.type === 'parley:open' && typeof data.conversationId === 'string' && data.conversationId)
      api.openConversation(data.conversationId);
  };
  navigator.serviceWorker.addEventListener('message', opened);
  return () => navigator.serviceWorker.removeEventListener('message', opened);
}

/**
 * The thread to show first: the host's, or the one a link to a message names (at that message when the link
 * is to the host's conversation or the host names none).
 */
function firstThread(conversationId: string | undefined): Route | null {
  const link = linkedMessage(location.href);
  if (link && (!conversationId || conversationId === link.threadId)) {
    const focus = { conversationId: link.conversationId, seq: link.seq };
    return { view: 'thread', conversationId: link.threadId, focus };
  }
  return conversationId ? { view: 'thread', conversationId } : null;
}

/** The host's reference patterns, compiled once; a broken one is reported and left out, not fatal. */
function recordReferences(options: InitOptions): RecordReference[] {
  const configured = options.references ?? [
    { type: 'order', pattern: ORDER_REFERENCE, url: options.orderUrl },
  ];
  return configured.flatMap((reference) => {
    try {
      const { type, url, linkUnknown } = reference;
      return [{ type, pattern: referencePattern(reference.pattern), url, linkUnknown }];
    } catch (error) {
      console.error('Parley: a record reference pattern is not usable.', error);
      return [];
    }
  });
}

function teardown(forget: boolean): void {
  const current = instance;
  if (!current) return;
  instance = null;
  for (const stop of current.stop) stop();
  current.session?.close(forget);
  if (forget && current.session) forgetPlace(browserStorage('session'), current.session.userId);
  current.element.show(null);
  current.element.remove();
}

function setPanel(change: (state: PanelState) => PanelState): void {
  if (instance) instance.panel.set(change(instance.panel.get()));
}

const api = {
  init,
  open: () => setPanel((state) => ({ ...state, open: true })),
  close: () => setPanel((state) => ({ ...state, open: instance?.element.getAttribute('mode') === 'page' })),
  /** Shows a conversation in the open panel; null shows the conversation list. */
  openConversation: (conversationId: string | null) =>
    setPanel(() => ({
      open: true,
      route: conversationId ? { view: 'thread', conversationId } : { view: 'list' },
    })),
  /**
   * `unread` gets the total now (when ready) and on every change; `ready` once the chat has started;
   * `conversation` the open conversation now (when ready) and whenever another one, or none, is shown;
   * `record` each record thread's record (the user's threads) now and whenever the host changes it.
   */
  on<E extends keyof ApiEvents>(event: E, listener: ApiEvents[E]): () => void {
    const set = listeners[event] as Set<ApiEvents[E]>;
    set.add(listener);
    const session = instance?.session;
    if (instance && session) {
      if (event === 'ready') (listener as ApiEvents['ready'])();
      else if (event === 'unread') (listener as ApiEvents['unread'])(session.unread);
      else if (event === 'conversation')
        (listener as ApiEvents['conversation'])(openConversationOf(instance.panel.get()));
      else for (const record of recordsInChat(session)) (listener as ApiEvents['record'])(record);
    }
    return () => set.delete(listener);
  },
  setTheme: (theme: Theme) => instance?.element.setAttribute('theme', theme),
  /** Disconnects, forgets this user's unsent messages, drafts and place, and removes the widget. */
  logout: () => teardown(true),
  /** Opens the thread about a host record (an order, a ticket), creating it on first open. */
  async openThread(record: RecordThreadRef): Promise<string> {
    const current = instance;
    if (!current?.session) throw new Error('Parley is not started: call Parley.init first');
    const conversationId = await current.session.openRecord(record.type, record.id, record.grant);
    setPanel(() => ({ open: true, route: { view: 'thread', conversationId } }));
    return conversationId;
  },
};

declare global {
  interface Window {
    Parley: typeof api;
  }
}

window.Parley = api;

// Browsers allow sound only after a gesture on the page: the first click or key press unlocks the chime.
for (const type of ['pointerdown', 'keydown'] as const) {
  document.addEventListener(type, unlockSound, { once: true, capture: true, passive: true });
}

function autoInit(script: HTMLScriptElement): void {
  const data = script.dataset;
  if (!data.tokenUrl) return;
  const start = () =>
    init({
      server: new URL(script.src).origin,
      tokenUrl: data.tokenUrl,
      theme: data.theme as Theme | undefined,
      position: data.position === 'left' ? 'left' : 'right',
      mode: data.mode === 'docked' ? 'docked' : 'floating',
      offset: data.offset ? (JSON.parse(data.offset) as Offset) : undefined,
      locale: data.locale,
      orderUrl: data.orderUrl,
      references: data.references ? (JSON.parse(data.references) as InitOptions['references']) : undefined,
      serviceWorker: data.serviceWorker,
    }).catch((error: unknown) => console.error('Parley: the chat could not start.', error));
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}

if (ownScript) autoInit(ownScript);
