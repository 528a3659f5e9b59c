// The full-page chat: the demo login, then the Parley widget in page mode filling the window, its open
// conversation in the URL, its unread count in the tab and web push notifications when the user turns them on.
import { conversationInUrl, followConversationInUrl, forgetConversationInUrl } from './conversation-url.js';
import { demoUsersByOrg, getToken, signedInUserId, signIn, signOut } from './demo-session.js';
import { offerPush } from './push-control.js';
import { showUnreadInTab } from './unread-tab.js';

const byId = (id) => document.getElementById(id);

function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

function showError(text) {
  const node = byId('login-error');
  node.textContent = text ?? '';
  node.hidden = !text;
}

function userCard(user) {
  const card = el(
    'button',
    'user-card',
    el('span', 'avatar', user.displayName.replace(/\s*(\S)\S*/g, '$1').slice(0, 2)),
    el(
      'span',
      'user-card-text',
      el('strong', '', user.displayName),
      el('span', 'muted', user.email ?? user.id),
    ),
    el('span', `role role-${user.role}`, user.role),
  );
  card.type = 'button';
  card.dataset.userId = user.id;
  card.addEventListener('click', async () => {
    try {
      await signIn(user.id);
      await showChat();
    } catch (error) {
      showError(`Could not sign in: ${error.message}`);
    }
  });
  return el('li', '', card);
}

async function showLogin(message) {
  byId('chat-screen').hidden = true;
  byId('login-screen').hidden = false;
  showError(message);
  try {
    const groups = await demoUsersByOrg();
    byId('user-groups').replaceChildren(
      ...groups.map(([orgName, users]) =>
        el('section', 'user-group', el('h2', '', orgName), el('ul', 'user-cards', ...users.map(userCard))),
      ),
    );
  } catch (error) {
    showError(`Parley is not answering: ${error.message}`);
  }
}

async function showUserName(userId) {
  const groups = await demoUsersByOrg().catch(() => []);
  const user = groups.flatMap(([, users]) => users).find((candidate) => candidate.id === userId);
  byId('me-name').textContent = user ? `${user.displayName} · ${user.orgName}` : (userId ?? '');
}

let push = null;

async function startPush() {
  push = await offerPush({
    button: byId('push-button'),
    devices: byId('push-devices'),
    userId: signedInUserId(),
    getToken,
    onOpen: (conversationId) => window.Parley.openConversation(conversationId),
  }).catch((error) => {
    // The chat works without notifications; the button stays hidden.
    console.warn('Parley: notifications are not available here', error);
    return null;
  });
}

async function showChat() {
  byId('login-screen').hidden = true;
  byId('chat-screen').hidden = false;
  showUserName(signedInUserId());
  startPush();
  try {
    await window.Parley.init({
      server: location.origin,
      getToken,
      mode: 'page',
      container: byId('chat'),
      conversationId: conversationInUrl() ?? undefined,
    });
  } catch (error) {
    signOut();
    showUnreadInTab(0);
    await showLogin(`The chat could not start: ${error.message}`);
  }
}

byId('switch-user').addEventListener('click', () => {
  push?.stop();
  push = null;
  window.Parley.logout();
  signOut();
  forgetConversationInUrl();
  showUnreadInTab(0);
  showLogin();
});

followConversationInUrl(window.Parley);
window.Parley.on('unread', showUnreadInTab);

if (signedInUserId()) showChat();
else showLogin();
