import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from '../../src/server/domain/webhooks/signature.ts';

const secret = 'c2VjcmV0LXNob3duLW9uY2UtYXQtY3JlYXRpb24tdGltZQ';
const body = '{"id":"1","type":"message.created","createdAt":"2025-01-01T00:00:00.000Z","data":{}}';
const timestamp = 1_750_000_000;
const at = (seconds: number) => new Date(seconds * 1000);

describe('webhook signatures', () => {
  it('signs v1=<hex HMAC-SHA256 of "timestamp.body"> keyed with the secret as text', () => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    expect(signWebhook(secret, timestamp, body)).toBe(`v1=${expected}`);
    expect(signWebhook(secret, String(timestamp), body)).toBe(`v1=${expected}`);
  });

  it('accepts its own signature within the tolerance, on either side of the timestamp', () => {
    const header = signWebhook(secret, timestamp, body);
    expect(verifyWebhookSignature(secret, header, String(timestamp), body, 300, at(timestamp))).toBe(true);
    expect(verifyWebhookSignature(secret, header, timestamp, body, 300, at(timestamp + 300))).toBe(true);
    expect(verifyWebhookSignature(secret, header, timestamp, body, 300, at(timestamp - 300))).toBe(true);
  });

  it('rejects a replay older than the tolerance and a timestamp from too far in the future', () => {
    const header = signWebhook(secret, timestamp, body);
    expect(verifyWebhookSignature(secret, header, timestamp, body, 300, at(timestamp + 301))).toBe(false);
    expect(verifyWebhookSignature(secret, header, timestamp, body, 300, at(timestamp - 301))).toBe(false);
    expect(verifyWebhookSignature(secret, header, timestamp, body, 3600, at(timestamp + 301))).toBe(true);
  });

  it('uses the current time by default', () => {
    const now = Math.floor(Date.now() / 1000);
    expect(verifyWebhookSignature(secret, signWebhook(secret, now, body), now, body)).toBe(true);
    expect(verifyWebhookSignature(secret, signWebhook(secret, now - 600, body), now - 600, body)).toBe(false);
  });

  it('rejects another secret, a changed body and a timestamp moved to pass the window', () => {
    const header = signWebhook(secret, timestamp, body);
    const now = at(timestamp);
    expect(verifyWebhookSignature('another-secret', header, timestamp, body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, header, timestamp, `${body} `, 300, now)).toBe(false);
    const moved = timestamp + 1000;
    expect(verifyWebhookSignature(secret, header, moved, body, 300, at(moved))).toBe(false);
  });

  it('rejects missing, malformed and unknown-scheme headers and timestamps', () => {
    const header = signWebhook(secret, timestamp, body);
    const hex = header.slice('v1='.length);
    const now = at(timestamp);
    const verify = (h: string | undefined, t: string | number | undefined) =>
      verifyWebhookSignature(secret, h, t, body, 300, now);
    expect(verify(header, timestamp)).toBe(true);
    for (const bad of [
      undefined,
      '',
      hex,
      `v0=${hex}`,
      `v1=${hex.slice(2)}`,
      `v1=${hex}00`,
      'v1=zz',
      'v1=',
    ]) {
      expect(verify(bad, timestamp)).toBe(false);
    }
    for (const badTimestamp of [undefined, '', 'abc', `${timestamp}.5`, `-${timestamp}`, '1e9']) {
      expect(verify(header, badTimestamp)).toBe(false);
    }
  });

  it('accepts a header listing several signatures when one of them is valid, in any case of hex', () => {
    const header = signWebhook(secret, timestamp, body);
    const other = signWebhook('old-secret', timestamp, body);
    const now = at(timestamp);
    expect(verifyWebhookSignature(secret, `${other}, ${header}`, timestamp, body, 300, now)).toBe(true);
    expect(
      verifyWebhookSignature(secret, `v1=${header.slice(3).toUpperCase()}`, timestamp, body, 300, now),
    ).toBe(true);
    expect(verifyWebhookSignature(secret, other, timestamp, body, 300, now)).toBe(false);
  });
});
