// The open conversation lives in the page's URL (`/?conversation=<id>`): a conversation has a link to share
// or bookmark, a reload comes back to it, and back/forward move between the conversations the user opened.
// A query parameter rather than a path, so the page and its relative assets work wherever Parley is served.
const PARAM = 'conversation';

/** The conversation the URL names, or null for the conversation list. */
export const conversationInUrl = () => new URLSearchParams(location.search).get(PARAM);

function urlFor(conversationId) {
  const url = new URL(location.href);
  if (conversationId) url.searchParams.set(PARAM, conversationId);
  else url.searchParams.delete(PARAM);
  // A link to a message (the widget's `message` and `notes`) is spent once another conversation is shown.
  if (conversationId !== conversationInUrl())
    for (const name of ['message', 'notes']) url.searchParams.delete(name);
  return url;
}

/** Keeps the URL and the chat's open conversation in step, both ways, for every chat `parley` starts. */
export function followConversationInUrl(parley) {
  parley.on('conversation', (conversationId) => {
    if (conversationId !== conversationInUrl()) history.pushState(null, '', urlFor(conversationId));
  });
  window.addEventListener('popstate', () => parley.openConversation(conversationInUrl()));
}

/** Drops the conversation from the URL without a history entry: the next user must not land in it. */
export function forgetConversationInUrl() {
  history.replaceState(null, '', urlFor(null));
}
