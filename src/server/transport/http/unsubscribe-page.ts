// The small page an unsubscribe link opens: what it will stop and a button to confirm, what it stopped, or
// why the link does not work. No script, no outside resources.
import type { UnsubscribeResult } from '../../domain/notifications/notification-settings.ts';

export type UnsubscribePage =
  | { state: 'confirm'; what: UnsubscribeResult; token: string }
  | { state: 'done'; what: UnsubscribeResult }
  | { state: 'invalid' };

const scope = (what: UnsubscribeResult) =>
  what.kind === 'all' ? 'all Parley emails' : 'emails and notifications about this conversation';

function content(page: UnsubscribePage): string {
  if (page.state === 'invalid') {
    return `<h1>This link does not work</h1>
<p>It may have been cut short or altered. Use the link from the email again, or change your notification
settings in the chat.</p>`;
  }
  if (page.state === 'done') {
    return `<h1>Unsubscribed</h1>
<p>You will not get ${scope(page.what)} any more.${
      page.what.kind === 'conversation'
        ? ' The conversation is muted: unmute it in the chat to hear of it again.'
        : ''
    } You can turn email back on in the chat's notification settings.</p>`;
  }
  return `<h1>Unsubscribe?</h1>
<p>Stop ${scope(page.what)}.</p>
<form method="post" action="?token=${encodeURIComponent(page.token)}"><button type="submit">Unsubscribe</button></form>`;
}

export function unsubscribePage(page: UnsubscribePage): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>Parley notifications</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}
button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid #2563eb;background:#2563eb;color:#fff;cursor:pointer}</style>
</head><body><main>${content(page)}</main></body></html>`;
}
