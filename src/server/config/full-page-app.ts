// The full-page chat at Parley's own address (`/`), the installable app: how it signs the user in. In demo
// mode with the demo login; otherwise through the host's token route (`PARLEY_APP_TOKEN_URL`), called with
// the host's cookies as the widget's `tokenUrl` is, and the host's sign-in page (`PARLEY_APP_SIGN_IN_URL`)
// for someone who is not signed in there. Without a token route there is no full-page chat.
import { z } from 'zod';
import { ConfigError } from './config-error.ts';

export type FullPageApp =
  | { signIn: 'demo' }
  | {
      signIn: 'host';
      tokenUrl: string;
      /** A URL with `{returnTo}` where it takes the address to come back to, or null: a plain "sign in" text. */
      signInUrl: string | null;
    };

const httpUrl = (example: string) =>
  z
    .url({ error: `expected an absolute http(s) URL, e.g. ${example}` })
    .refine((value) => ['http:', 'https:'].includes(new URL(value).protocol), 'expected an http(s) URL');

export const fullPageAppEnvironment = {
  PARLEY_APP_TOKEN_URL: httpUrl('https://dash.example.com/api/chat/token').optional(),
  PARLEY_APP_SIGN_IN_URL: httpUrl('https://dash.example.com/login?next={returnTo}').optional(),
};

interface FullPageAppValues {
  PARLEY_APP_TOKEN_URL?: string | undefined;
  PARLEY_APP_SIGN_IN_URL?: string | undefined;
}

export function fullPageAppSettings(values: FullPageAppValues, demo: boolean): FullPageApp | null {
  const tokenUrl = values.PARLEY_APP_TOKEN_URL;
  const signInUrl = values.PARLEY_APP_SIGN_IN_URL;
  if (tokenUrl && demo) {
    throw new ConfigError(
      'PARLEY_APP_TOKEN_URL: the demo signs the full-page chat in with its own login; unset PARLEY_DEMO to ' +
        'sign it in through the host',
    );
  }
  if (signInUrl && !tokenUrl) {
    throw new ConfigError(
      'PARLEY_APP_TOKEN_URL: required with PARLEY_APP_SIGN_IN_URL (the host route answering the signed-in ' +
        "user's token, as the widget's token URL does)",
    );
  }
  if (demo) return { signIn: 'demo' };
  if (!tokenUrl) return null;
  return { signIn: 'host', tokenUrl, signInUrl: signInUrl ?? null };
}
