// The demo host's sign-in, shared by both demo pages: the token of the chosen demo user lives in this tab's
// sessionStorage, so two tabs can be two different users.
const TOKEN_KEY = 'parley-demo-token';

export const storedToken = () => sessionStorage.getItem(TOKEN_KEY);

/** What the widget calls whenever it needs the user's token. */
export async function getToken() {
  const token = storedToken();
  if (!token) throw new Error('no demo user is signed in');
  return token;
}

async function request(path, body) {
  const response = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error?.message ?? `request failed (${response.status})`);
  return data;
}

/** The demo users grouped by organisation: [[orgName, users], …]. */
export async function demoUsersByOrg() {
  const { users } = await request('/api/demo/users');
  const orgs = new Map();
  for (const user of users) orgs.set(user.orgName, [...(orgs.get(user.orgName) ?? []), user]);
  return [...orgs];
}

/** Signs in as a demo user; answers the user. */
export async function signIn(userId) {
  const { token, user } = await request('/api/demo/login', { userId });
  sessionStorage.setItem(TOKEN_KEY, token);
  return user;
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** The signed-in user's id, read from the token (the demo trusts its own token). */
export function signedInUserId() {
  const payload = storedToken()?.split('.')[1];
  if (!payload) return undefined;
  try {
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))).sub;
  } catch {
    // A malformed token: treated as signed out.
    return undefined;
  }
}

/** Posts data to the demo host (its order grants); answers the JSON. */
export const demoPost = (path, body = {}) => request(path, body);
