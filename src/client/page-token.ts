// What the full-page chat's host sign-in (public/host-session.js) takes of the SDK, built for the page as
// dist/page/parley-token.js: the token route the widget's `tokenUrl` uses, and whose token it is.
export { tokenSubject } from './token-claims.ts';
export { tokenFromUrl } from './token-url.ts';
