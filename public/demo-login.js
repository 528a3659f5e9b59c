// The demo's sign-in for the full-page chat: a card per demo user, grouped by organisation; choosing one
// starts the chat as them, and "Switch user" comes back here.
import { demoUsersByOrg, getToken, signedInUserId, signIn, signOut } from './demo-session.js';

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

/** Runs the demo login; `chat.start(session, onFailure)` and `chat.stop()` are the full-page chat's. */
export function runDemoLogin(chat) {
  const session = { getToken, userId: signedInUserId };

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

  async function showChat() {
    byId('login-screen').hidden = true;
    showUserName(signedInUserId());
    await chat.start(session, async (error) => {
      signOut();
      await showLogin(`The chat could not start: ${error.message}`);
    });
  }

  const switchUser = byId('switch-user');
  switchUser.hidden = false;
  switchUser.addEventListener('click', () => {
    chat.stop();
    signOut();
    showLogin();
  });
  byId('dashboard-demo').hidden = false;

  if (signedInUserId()) showChat();
  else showLogin();
}
