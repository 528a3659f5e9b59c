// Parley's demo page: pick a demo user, then chat live through Parley's REST API and Socket.IO.
const TOKEN_KEY = 'parley-demo-token';
const PAGE_SIZE = 50;
const SEND_TIMEOUT_MS = 10_000;
const GROUP_WINDOW_MS = 5 * 60 * 1000;

/** Every element with an id, by camel-cased id: `ui.messageList` is #message-list. */
const ui = {};
for (const node of document.querySelectorAll('[id]'))
  ui[node.id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = node;

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  me: null,
  demoUsers: [],
  names: new Map(), // user id → display name
  conversations: [],
  openId: null,
  threadLoaded: false,
  messages: [], // the open conversation's confirmed messages, ascending by seq
  hasMore: false,
  outbox: [], // own messages not confirmed yet: { key, clientMsgId, conversationId, body, createdAt, status, error }
  socket: null,
};
const messageNodes = new Map(); // render key → { signature, node }: unchanged messages keep their element

// ---- helpers ----
/** Builds an element; string children become text nodes, never HTML. */
function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

function button(className, onClick, ...children) {
  const node = el('button', className, ...children);
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
}

function showText(node, text) {
  node.textContent = text ?? '';
  node.hidden = !text;
}

function showToast(text) {
  showText(ui.toast, text);
  clearTimeout(showToast.timer);
  showToast.timer = setTimeout(() => showText(ui.toast, null), 6000);
}

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const longDate = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
const dayKey = (iso) => new Date(iso).toDateString();
const startOfDay = (time) => new Date(time).setHours(0, 0, 0, 0);
const daysAgo = (iso) => Math.round((startOfDay(Date.now()) - startOfDay(iso)) / 864e5);
const listTime = (iso) => (daysAgo(iso) === 0 ? clock : shortDate).format(new Date(iso));
const dayLabel = (iso) => ['Today', 'Yesterday'][daysAgo(iso)] ?? longDate.format(new Date(iso));

const displayName = (userId) => state.names.get(userId) ?? userId;
const initials = (name) =>
  name
    .replace(/\s*(\S)\S*/g, '$1')
    .slice(0, 2)
    .toUpperCase();
const hueOf = (text) => [...text].reduce((hue, c) => (hue * 31 + c.codePointAt(0)) % 360, 7);
const randomHex = () =>
  [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0'));
const newClientMsgId = () => crypto.randomUUID?.() ?? randomHex().join('');

function avatar(key, label, extraClass = '') {
  const node = el('span', `avatar ${extraClass}`, label || '?');
  node.style.setProperty('--hue', String(hueOf(key)));
  node.setAttribute('aria-hidden', 'true');
  return node;
}

function userButton(user, detail, onClick, ...extra) {
  const text = el('span', 'user-card-text', el('strong', '', user.displayName), el('span', 'muted', detail));
  const card = button('user-card', onClick, avatar(user.id, initials(user.displayName)), text, ...extra);
  return el('li', '', card);
}

async function api(path, { method = 'GET', body } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (state.token) headers.authorization = `Bearer ${state.token}`;
  const response = await fetch(path, { method, headers, body: body && JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (response.ok) return data;
  if (response.status === 401 && state.token) logOut('Your session has ended. Pick a user to continue.');
  throw Object.assign(new Error(data.error?.message ?? `request failed (${response.status})`), {
    code: data.error?.code,
  });
}

const conversationPath = (id, rest) => `/api/conversations/${encodeURIComponent(id)}/${rest}`;

// ---- login ----
async function showLogin(message) {
  ui.app.hidden = true;
  ui.loginScreen.hidden = false;
  showText(ui.loginError, message);
  try {
    const { users } = await api('/api/demo/users');
    const orgs = new Map();
    for (const user of users) orgs.set(user.orgName, [...(orgs.get(user.orgName) ?? []), user]);
    ui.userGroups.replaceChildren(
      ...[...orgs].map(([orgName, members]) => {
        const cards = members.map((user) => {
          const role = el('span', `role role-${user.role}`, user.role);
          return userButton(user, user.email ?? user.id, () => logIn(user.id), role);
        });
        return el('section', 'user-group', el('h2', '', orgName), el('ul', 'user-cards', ...cards));
      }),
    );
  } catch (error) {
    showText(ui.loginError, `Cannot load the demo users: ${error.message}`);
  }
}

async function logIn(userId) {
  try {
    const { token, user } = await api('/api/demo/login', { method: 'POST', body: { userId } });
    sessionStorage.setItem(TOKEN_KEY, token);
    state.token = token;
    await startApp(user);
  } catch (error) {
    showText(ui.loginError, `Cannot log in: ${error.message}`);
  }
}

function logOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.socket?.disconnect();
  Object.assign(state, { token: null, me: null, socket: null, conversations: [], outbox: [] });
  closeThread();
  showText(ui.connectionStatus, null);
  showLogin(message);
}

// ---- app start and socket ----
async function startApp(user) {
  state.me = user;
  ui.loginScreen.hidden = true;
  ui.app.hidden = false;
  closeThread();
  const [{ users }, list] = await Promise.all([api('/api/demo/users'), api('/api/conversations')]);
  state.demoUsers = users;
  for (const demoUser of users) state.names.set(demoUser.id, demoUser.displayName);
  const orgName = users.find((u) => u.id === user.id)?.orgName ?? user.orgId;
  ui.meAvatar.replaceChildren(avatar(user.id, initials(user.displayName)));
  ui.meName.textContent = user.displayName;
  ui.meOrg.textContent = `${orgName} · ${user.role}`;
  setConversations(list.conversations);
  connectSocket();
}

function connectSocket() {
  const socket = io({ auth: { token: state.token } });
  state.socket = socket;
  // Every (re)connect catches up: the list, and the open thread after the highest seq held.
  socket.on('connect', () => {
    showText(ui.connectionStatus, null);
    resync();
  });
  socket.on('disconnect', (reason) => {
    if (state.socket !== socket) return;
    showText(ui.connectionStatus, 'Connection lost. Reconnecting…');
    // The server dropped this socket on purpose: Socket.IO will not retry by itself.
    if (reason === 'io server disconnect')
      setTimeout(() => state.socket === socket && socket.connect(), 2000);
  });
  socket.on('connect_error', (error) => {
    if (error.data?.code === 'unauthorized') return logOut(`Signed out: ${error.data.message}`);
    showText(ui.connectionStatus, 'Cannot reach the server. Retrying…');
  });
  socket.on('message:new', ({ message }) => {
    acceptMessage(message);
    refreshView();
  });
  socket.on('conversation:joined', ({ conversation }) => upsertConversation(conversation));
  socket.on('conversation:read', ({ conversationId, lastReadSeq }) => {
    const conversation = findConversation(conversationId);
    if (!conversation) return;
    conversation.lastReadSeq = Math.max(conversation.lastReadSeq, lastReadSeq);
    const left = Math.max(0, conversation.lastSeq - conversation.lastReadSeq);
    conversation.unreadCount = Math.min(conversation.unreadCount, left);
    renderConversationList();
  });
}

async function resync() {
  try {
    setConversations((await api('/api/conversations')).conversations);
    await catchUpOpenThread();
  } catch (error) {
    console.warn('Parley demo: resync failed', error);
  }
}

async function catchUpOpenThread() {
  const id = state.openId;
  if (!id || !state.threadLoaded) return;
  let after = state.messages.at(-1)?.seq ?? 0;
  for (;;) {
    const page = await api(conversationPath(id, `messages?after=${after}&limit=100`));
    if (state.openId !== id) return;
    for (const message of page.messages) acceptMessage(message);
    if (!page.hasMore || page.messages.length === 0) break;
    after = page.messages.at(-1).seq;
  }
  refreshView();
}

// ---- conversations ----
const findConversation = (id) => state.conversations.find((c) => c.id === id);
const activity = (c) => c.lastMessage?.createdAt ?? c.updatedAt;
const sortConversations = () => state.conversations.sort((a, b) => activity(b).localeCompare(activity(a)));
const otherMembers = (c) => (c.members ?? []).filter((m) => m.id !== state.me.id);

function setConversations(conversations) {
  state.conversations = conversations;
  for (const c of conversations) for (const m of c.members ?? []) state.names.set(m.id, m.displayName);
  sortConversations();
  renderConversationList();
  if (state.openId) renderThreadHeader();
}

function upsertConversation(conversation) {
  setConversations([conversation, ...state.conversations.filter((c) => c.id !== conversation.id)]);
}

function titleOf(c) {
  if (c.kind === 'channel') return `#${c.name}`;
  if (c.name) return c.name;
  const others = otherMembers(c).map((m) => m.displayName);
  if (c.kind === 'direct') return others[0] ?? `${state.me.displayName} (you)`;
  return others.join(', ') || (c.kind === 'record' ? 'Record' : 'Group');
}

function previewOf(c) {
  const message = c.lastMessage;
  if (!message) return 'No messages yet';
  const text = message.body.replace(/\s+/g, ' ').trim();
  if (message.senderId === state.me.id) return `You: ${text}`;
  return c.kind === 'direct' ? text : `${displayName(message.senderId).split(' ')[0]}: ${text}`;
}

function conversationAvatar(c) {
  if (c.kind === 'channel') return avatar(c.id, '#', 'channel');
  const [other] = c.kind === 'direct' ? otherMembers(c) : [];
  return other ? avatar(other.id, initials(other.displayName)) : avatar(c.id, initials(titleOf(c)));
}

function renderConversationList() {
  const items = state.conversations.map((c) => {
    const time = el('span', 'time', c.lastMessage ? listTime(c.lastMessage.createdAt) : '');
    const top = el('span', 'conversation-top', el('span', 'conversation-title', titleOf(c)), time);
    const bottom = el('span', 'conversation-bottom', el('span', 'conversation-preview', previewOf(c)));
    if (c.unreadCount > 0) {
      const count = c.unreadCount > 99 ? '99+' : String(c.unreadCount);
      bottom.append(el('span', 'badge', count, el('span', 'visually-hidden', ' unread')));
    }
    const className = `conversation${c.unreadCount > 0 ? ' unread' : ''}`;
    const text = el('span', 'conversation-text', top, bottom);
    const item = button(className, () => openConversation(c.id), conversationAvatar(c), text);
    if (c.id === state.openId) item.setAttribute('aria-current', 'true');
    return el('li', '', item);
  });
  if (items.length === 0) items.push(el('li', 'empty muted', 'No conversations yet.'));
  ui.conversationList.replaceChildren(...items);
  const unread = state.conversations.reduce((sum, c) => sum + c.unreadCount, 0);
  document.title = unread > 0 ? `(${unread}) Parley demo` : 'Parley demo';
}

// ---- the open thread ----
function closeThread() {
  Object.assign(state, { openId: null, threadLoaded: false, messages: [], hasMore: false });
  messageNodes.clear();
  ui.messageList.replaceChildren();
  ui.app.classList.remove('thread-open');
  ui.threadView.hidden = true;
  ui.threadEmpty.hidden = false;
  if (state.me) renderConversationList();
}

async function openConversation(id) {
  closeThread();
  state.openId = id;
  ui.app.classList.add('thread-open');
  ui.threadEmpty.hidden = true;
  ui.threadView.hidden = false;
  renderThreadHeader();
  renderConversationList();
  showText(ui.threadNotice, 'Loading messages…');
  if (matchMedia('(min-width: 641px)').matches) ui.composerInput.focus();
  try {
    const page = await api(conversationPath(id, `messages?limit=${PAGE_SIZE}`));
    if (state.openId !== id) return;
    Object.assign(state, { messages: page.messages, hasMore: page.hasMore, threadLoaded: true });
    // Messages pushed while the page was loading are fetched now.
    if ((findConversation(id)?.lastSeq ?? 0) > (state.messages.at(-1)?.seq ?? 0)) await catchUpOpenThread();
    renderMessages('bottom');
    markOpenRead();
  } catch (error) {
    if (state.openId === id) showText(ui.threadNotice, `Cannot load messages: ${error.message}`);
  }
}

function renderThreadHeader() {
  const c = findConversation(state.openId);
  if (!c) return;
  const [other] = c.kind === 'direct' ? otherMembers(c) : [];
  const org = state.demoUsers.find((u) => u.id === other?.id)?.orgName;
  ui.threadTitle.textContent = titleOf(c);
  ui.threadSubtitle.textContent = other ? `Direct message · ${org ?? other.id}` : `${c.memberCount} members`;
  ui.composerInput.placeholder = `Message ${titleOf(c)}`;
}

async function loadEarlier() {
  const id = state.openId;
  const first = state.messages[0];
  if (!first) return;
  ui.loadEarlier.disabled = true;
  try {
    const page = await api(conversationPath(id, `messages?before=${first.seq}&limit=${PAGE_SIZE}`));
    if (state.openId !== id) return;
    const fromBottom = ui.messageScroller.scrollHeight - ui.messageScroller.scrollTop;
    state.messages = [...page.messages.filter((m) => m.seq < first.seq), ...state.messages];
    state.hasMore = page.hasMore;
    renderMessages('keep');
    ui.messageScroller.scrollTop = ui.messageScroller.scrollHeight - fromBottom;
  } catch (error) {
    showToast(`Cannot load earlier messages: ${error.message}`);
  } finally {
    ui.loadEarlier.disabled = false;
  }
}

/** Takes a committed message from an ack, a push or a catch-up page; safe to call twice for one message. */
function acceptMessage(message) {
  const { conversationId, clientMsgId, senderId, seq } = message;
  const mine = senderId === state.me.id;
  if (mine) state.outbox = state.outbox.filter((e) => e.clientMsgId !== clientMsgId);
  const conversation = findConversation(conversationId);
  if (!conversation) resync();
  else if (seq > conversation.lastSeq) {
    Object.assign(conversation, { lastSeq: seq, lastMessage: message, updatedAt: message.createdAt });
    if (!mine) conversation.unreadCount += 1;
    sortConversations();
  }
  const held = state.messages.some((m) => m.seq === seq);
  if (conversationId !== state.openId || !state.threadLoaded || held) return;
  const at = state.messages.findIndex((m) => m.seq > seq);
  state.messages.splice(at < 0 ? state.messages.length : at, 0, message);
}

function refreshView() {
  renderConversationList();
  if (state.openId && state.threadLoaded) renderMessages();
  markOpenRead();
}

async function markOpenRead() {
  const conversation = findConversation(state.openId);
  const last = state.messages.at(-1);
  if (!conversation || !last || document.visibilityState !== 'visible') return;
  if (last.seq <= conversation.lastReadSeq && conversation.unreadCount === 0) return;
  conversation.lastReadSeq = Math.max(conversation.lastReadSeq, last.seq);
  if (last.seq >= conversation.lastSeq) conversation.unreadCount = 0;
  renderConversationList();
  try {
    await api(conversationPath(conversation.id, 'read'), { method: 'POST', body: { seq: last.seq } });
  } catch (error) {
    console.warn('Parley demo: cannot mark as read', error);
  }
}

/** Renders the open thread, reusing the element of every unchanged message; scroll is auto, bottom or keep. */
function renderMessages(scroll = 'auto') {
  const { messageScroller: scroller } = ui;
  const nearBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
  const sent = state.messages.map((m) => ({ ...m, key: `m:${m.id}`, status: 'sent' }));
  const unsent = state.outbox.filter((e) => e.conversationId === state.openId);
  const nodes = [];
  const used = new Set();
  const cached = (key, signature, build) => {
    used.add(key);
    if (messageNodes.get(key)?.signature !== signature) messageNodes.set(key, { signature, node: build() });
    return messageNodes.get(key).node;
  };
  let previous = null;
  for (const entry of [...sent, ...unsent]) {
    const day = dayKey(entry.createdAt);
    const newDay = previous === null || dayKey(previous.createdAt) !== day;
    const label = dayLabel(entry.createdAt);
    if (newDay) nodes.push(cached(day, label, () => el('li', 'day', el('span', '', label))));
    const gap = Date.parse(entry.createdAt) - Date.parse(previous?.createdAt);
    const continued = !newDay && previous.senderId === entry.senderId && gap < GROUP_WINDOW_MS;
    const signature = `${entry.status}${continued}${entry.error}`;
    nodes.push(cached(entry.key, signature, () => messageNode(entry, continued)));
    previous = entry;
  }
  for (const key of messageNodes.keys()) if (!used.has(key)) messageNodes.delete(key);
  reconcile(ui.messageList, nodes);
  ui.loadEarlier.hidden = !state.hasMore;
  showText(ui.threadNotice, nodes.length === 0 ? 'No messages yet. Say hello!' : null);
  if (scroll === 'bottom' || (scroll === 'auto' && nearBottom)) scroller.scrollTop = scroller.scrollHeight;
}

/** Makes parent's children exactly `nodes`, moving only what changed, so the live log announces only news. */
function reconcile(parent, nodes) {
  const keep = new Set(nodes);
  for (const child of [...parent.children]) if (!keep.has(child)) child.remove();
  nodes.forEach((node, i) => {
    if (parent.children[i] !== node) parent.insertBefore(node, parent.children[i] ?? null);
  });
}

function messageNode(entry, continued) {
  const item = el('li', `message ${entry.status}${continued ? ' continued' : ''}`);
  const name = displayName(entry.senderId);
  const time = el('time', 'message-time', clock.format(new Date(entry.createdAt)));
  time.dateTime = entry.createdAt;
  time.title = new Date(entry.createdAt).toLocaleString();
  const byline = el('div', 'message-meta', el('strong', '', name), time);
  const head = continued
    ? [el('span', 'visually-hidden', `${name}: `), time]
    : [avatar(entry.senderId, initials(name)), byline];
  item.append(...head, el('div', 'message-body', entry.body));
  if (entry.status === 'pending') item.append(el('div', 'message-status', 'Sending…'));
  if (entry.status === 'failed') {
    const retry = button('link-button', () => emitSend(entry), 'Retry');
    const discard = button('link-button', () => discardUnsent(entry), 'Discard');
    item.append(el('div', 'message-status', `Not sent: ${entry.error} `, retry, ' · ', discard));
  }
  return item;
}

// ---- sending ----
function discardUnsent(entry) {
  state.outbox = state.outbox.filter((e) => e !== entry);
  renderMessages();
}

function sendMessage(body) {
  const clientMsgId = newClientMsgId();
  const entry = {
    key: `c:${clientMsgId}`,
    clientMsgId,
    conversationId: state.openId,
    senderId: state.me.id,
    body,
  };
  state.outbox.push(Object.assign(entry, { createdAt: new Date().toISOString() }));
  emitSend(entry);
}

/** Sends (or resends, under the same clientMsgId so the server keeps one copy) an outbox entry. */
function emitSend(entry) {
  if (!entry || !state.socket) return;
  Object.assign(entry, { status: 'pending', error: null });
  renderMessages('bottom');
  const { socket } = state;
  const payload = { conversationId: entry.conversationId, clientMsgId: entry.clientMsgId, body: entry.body };
  socket.timeout(SEND_TIMEOUT_MS).emit('message:send', payload, (timedOut, ack) => {
    if (state.socket !== socket) return; // logged out meanwhile
    if (ack?.ok) {
      acceptMessage(ack.message);
      return refreshView();
    }
    if (!state.outbox.includes(entry)) return; // confirmed meanwhile by message:new
    entry.status = 'failed';
    entry.error = timedOut ? 'the server did not answer.' : (ack?.error?.message ?? 'unknown error.');
    if (entry.conversationId === state.openId) renderMessages();
  });
}

// ---- new message dialog ----
function renderUserPicker() {
  const query = ui.userFilter.value.trim().toLowerCase();
  const people = state.demoUsers.filter(
    (u) => u.id !== state.me.id && `${u.displayName} ${u.orgName} ${u.email}`.toLowerCase().includes(query),
  );
  ui.userPicker.replaceChildren(
    ...people.map((u) => userButton(u, `${u.orgName} · ${u.role}`, () => startDirectMessage(u.id))),
  );
  if (people.length === 0) ui.userPicker.append(el('li', 'empty muted', 'Nobody matches.'));
}

async function startDirectMessage(userId) {
  try {
    const body = { kind: 'direct', memberIds: [userId] };
    const { conversation } = await api('/api/conversations', { method: 'POST', body });
    ui.newMessageDialog.close();
    upsertConversation(conversation);
    openConversation(conversation.id);
  } catch (error) {
    showToast(`Cannot open the conversation: ${error.message}`);
  }
}

// ---- wiring ----
function growComposer() {
  ui.composerInput.style.height = 'auto';
  ui.composerInput.style.height = `${Math.min(ui.composerInput.scrollHeight, 200)}px`;
}

ui.composerInput.addEventListener('input', growComposer);
ui.composerInput.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
  event.preventDefault();
  ui.composer.requestSubmit();
});
ui.composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const body = ui.composerInput.value.trim();
  if (!body || !state.openId) return;
  ui.composerInput.value = '';
  growComposer();
  sendMessage(body);
});
ui.loadEarlier.addEventListener('click', loadEarlier);
ui.back.addEventListener('click', closeThread);
ui.switchUser.addEventListener('click', () => logOut());
ui.newMessage.addEventListener('click', () => {
  ui.userFilter.value = '';
  renderUserPicker();
  ui.newMessageDialog.showModal();
});
ui.closeDialog.addEventListener('click', () => ui.newMessageDialog.close());
ui.userFilter.addEventListener('input', renderUserPicker);
document.addEventListener('visibilitychange', markOpenRead);

async function boot() {
  if (!state.token) return showLogin();
  try {
    await startApp((await api('/api/me')).user);
  } catch (error) {
    if (state.token) logOut(`Cannot restore your session: ${error.message}`);
  }
}

boot();
