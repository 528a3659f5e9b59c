// Attachments opened in a real Chromium, as a member following a signed link would: a text that carries a
// script after its first KB is a download and runs nothing, an image that carried an HTML payload is only
// the pixels Parley re-encoded, and HTML disguised as an image never gets stored at all.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngImage, signedUrl, upload } from '../helpers/attachments.ts';
import { browserAvailable, launchBrowser } from '../helpers/browser.ts';
import { newUser, type TestUser } from '../helpers/clients.ts';
import { startChannel } from '../helpers/conversations.ts';
import { useTestServer } from '../helpers/test-server.ts';
import { BROWSER_TEST_TIMEOUT as TEST_TIMEOUT } from '../helpers/widget-browser.ts';

/** What every payload below does if it ever runs: retitles the page and calls home. */
const SCRIPT = "<script>document.title = 'pwned'; window.parleyScriptRan()</script>";
const PAGE = `<!doctype html><html><head><title>page</title></head><body>${SCRIPT}</body></html>`;

describe.runIf(browserAvailable)('attachments opened in a browser', () => {
  const parley = useTestServer('pglite');
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let owner: TestUser;
  let conversationId: string;
  const scriptsRan: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext({ acceptDownloads: true });
    await context.exposeBinding('parleyScriptRan', ({ frame }) => {
      scriptsRan.push(frame.url());
    });
    page = await context.newPage();
    owner = await newUser('owner');
    conversationId = (await startChannel(parley.url, owner, [], 'browser')).id;
  }, TEST_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
  });

  async function uploadedUrl(file: Parameters<typeof upload>[3]): Promise<string> {
    const answer = await upload(parley.url, owner, conversationId, file);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const issued = await signedUrl(parley.url, owner, answer.body.attachment.id);
    return `${parley.url}${issued.body.url}`;
  }

  it(
    'notices the payload when it does run: as a page of its own',
    async () => {
      await page.setContent(PAGE);
      expect(await page.title()).toBe('pwned');
      expect(scriptsRan).toHaveLength(1);
      scriptsRan.length = 0;
      await page.goto('about:blank');
    },
    TEST_TIMEOUT,
  );

  it(
    'downloads a text that carries a script, and runs none of it',
    async () => {
      const text = `${'quarterly notes\n'.repeat(80)}${PAGE}\n`;
      const url = await uploadedUrl({ bytes: text, name: 'notes.html', type: 'text/html' });
      const downloading = page.waitForEvent('download');
      // Chromium aborts a navigation that turns into a download; the download is what matters.
      const navigation = await page.goto(url).catch((error: Error) => error);
      expect(navigation).toBeInstanceOf(Error);
      const download = await downloading;
      expect(download.suggestedFilename()).toBe('notes.html.txt');
      const saved = await download.createReadStream();
      const chunks: Buffer[] = [];
      for await (const chunk of saved) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe(text);
      expect(await page.title()).not.toBe('pwned');
      expect(scriptsRan).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'shows an image that carried an HTML payload as the image alone',
    async () => {
      const polyglot = Buffer.concat([await pngImage(120, 80), Buffer.from(PAGE)]);
      const url = await uploadedUrl({ bytes: polyglot, name: 'page.html', type: 'text/html' });
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-type']).toBe('image/png');
      expect(await page.evaluate(() => document.contentType)).toBe('image/png');
      const image = await page.evaluate(() => {
        const img = document.querySelector('img');
        return img ? { width: img.naturalWidth, height: img.naturalHeight } : null;
      });
      expect(image).toEqual({ width: 120, height: 80 });
      expect(await page.title()).not.toBe('pwned');
      expect(scriptsRan).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'never stores HTML disguised as an image, nor an image whose pixels hide a script',
    async () => {
      for (const file of [
        { bytes: PAGE, name: 'cat.png', type: 'image/png' },
        { bytes: `GIF89a${SCRIPT}`, name: 'cat.gif', type: 'image/gif' },
        {
          bytes: `<svg xmlns="http://www.w3.org/2000/svg">${SCRIPT}</svg>`,
          name: 'cat.svg',
          type: 'image/svg+xml',
        },
      ]) {
        const answer = await upload(parley.url, owner, conversationId, file);
        expect([answer.status, answer.body.error.code], file.name).toEqual([
          415,
          'attachment_type_not_allowed',
        ]);
      }
      expect(scriptsRan).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});
