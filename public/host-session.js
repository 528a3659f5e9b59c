// The full-page chat signed in through the host (PARLEY_APP_TOKEN_URL): the host's token route, called with
// the host's cookies as the widget's `tokenUrl` is, answers the token of whoever is signed in there. Someone
// who is not is sent to the host's sign-in page (PARLEY_APP_SIGN_IN_URL), which brings them back here.
// The last token is kept in this tab, so that the installed app opens on its kept shell when offline.
const LAST_TOKEN = 'parley-app-token';

/** Thrown when the host says nobody is signed in. */
export class NotSignedIn extends Error {}

/** The session for `app-config.json`'s `{ tokenUrl, signInUrl }`. */
export async function hostSession({ tokenUrl, signInUrl }) {
  const { tokenFromUrl, tokenSubject } = await import('./parley-token.js');
  const fromHost = tokenFromUrl(tokenUrl, {
    fetch: async (url, init) => {
      const response = await fetch(url, { ...init, headers: { accept: 'application/json' } });
      if (response.status === 401 || response.status === 403)
        throw new NotSignedIn('not signed in at the host');
      return response;
    },
  });
  let last = sessionStorage.getItem(LAST_TOKEN);

  return {
    async getToken() {
      try {
        last = await fromHost();
        sessionStorage.setItem(LAST_TOKEN, last);
        return last;
      } catch (error) {
        // The host is out of reach (offline): the last token, which Parley judges for itself.
        if (error instanceof NotSignedIn || error.name !== 'TypeError' || !last) throw error;
        return last;
      }
    },
    userId: () => (last ? tokenSubject(last) : undefined),
    /** Sends the user to the host's sign-in page, to come back here; false when the host named none. */
    signIn() {
      sessionStorage.removeItem(LAST_TOKEN);
      if (!signInUrl) return false;
      location.assign(signInUrl.replaceAll('{returnTo}', encodeURIComponent(location.href)));
      return true;
    },
  };
}
