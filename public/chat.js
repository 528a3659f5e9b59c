// The full-page chat: signed in by the demo login or through the host's token route (app-config.json says
// which), then the Parley widget in page mode filling the window, its open conversation in the URL, its
// unread count in the tab and web push notifications when the user turns them on.
import { conversationInUrl, followConversationInUrl, forgetConversationInUrl } from './conversation-url.js';
import { offerPush } from './push-control.js';
import { showUnreadInTab } from './unread-tab.js';

const byId = (id) => document.getElementById(id);

let push = null;

async function startPush(session) {
  push = await offerPush({
    button: byId('push-button'),
    devices: byId('push-devices'),
    userId: session.userId(),
    getToken: session.getToken,
    onOpen: (conversationId) => window.Parley.openConversation(conversationId),
  }).catch((error) => {
    // The chat works without notifications; the button stays hidden.
    console.warn('Parley: notifications are not available here', error);
    return null;
  });
}

/** The chat as `session` (`{ getToken, userId }`); `onFailure(error)` hears why it could not start. */
async function start(session, onFailure) {
  byId('signed-out-screen').hidden = true;
  byId('chat-screen').hidden = false;
  try {
    await window.Parley.init({
      server: location.origin,
      getToken: session.getToken,
      mode: 'page',
      container: byId('chat'),
      conversationId: conversationInUrl() ?? undefined,
    });
  } catch (error) {
    // The URL keeps its conversation: after signing in the user comes back to it.
    byId('chat-screen').hidden = true;
    showUnreadInTab(0);
    await onFailure(error);
    return;
  }
  startPush(session);
}

/** Ends the chat on this page: the next user starts from the list, with nothing of this one's. */
function stop() {
  push?.stop();
  push = null;
  window.Parley.logout();
  forgetConversationInUrl();
  showUnreadInTab(0);
  byId('chat-screen').hidden = true;
}

/** Signed in at the host, or sent there to sign in; said in place when the host has no sign-in page. */
async function runHostSignIn(config) {
  const { hostSession, NotSignedIn } = await import('./host-session.js');
  const session = await hostSession(config);
  const signedOut = (text) => {
    byId('signed-out-message').textContent = text;
    byId('signed-out-screen').hidden = false;
  };
  byId('retry-sign-in').addEventListener('click', () => location.reload());
  await start(session, (error) => {
    if (error instanceof NotSignedIn) {
      if (!session.signIn()) signedOut('Sign in to your dashboard first, then come back here.');
    } else signedOut(`The chat could not start: ${error.message}`);
  });
}

followConversationInUrl(window.Parley);
window.Parley.on('unread', showUnreadInTab);

const config = await fetch('app-config.json', { cache: 'no-cache' }).then((response) => response.json());
if (config.signIn === 'host') await runHostSignIn(config);
else (await import('./demo-login.js')).runDemoLogin({ start, stop });
