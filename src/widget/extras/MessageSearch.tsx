// Messages that match the list's search box, found by the server over everything the user may read:
// best first, the matched words marked, more on request. A hit opens its thread at that message.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { SearchParams } from '../../client/index.ts';
import type { SearchHit } from '../../protocol/search.ts';
import { conversationTitle, threadOf } from '../format.ts';
import { type SearchScope, useWidget } from '../state.ts';
import { snippetText } from './snippet-text.ts';

/** Typing pauses this long before the server is asked, so one word is one search, not one per key. */
const DEBOUNCE_MS = 250;

type Results =
  | { state: 'idle' }
  | { state: 'searching' }
  | { state: 'failed'; message: string }
  | { state: 'done'; hits: SearchHit[]; nextCursor: string | null; loadingMore: boolean };

export function MessageSearch({ query, within }: { query: string; within: SearchScope | undefined }) {
  const { session, strings, time, go } = useWidget();
  const results = useSearch(query.trim(), within);
  if (results.state === 'idle') return null;

  const open = (hit: SearchHit) => {
    const conversation = session.conversation(hit.conversation.id);
    go({
      view: 'thread',
      conversationId: conversation ? threadOf(conversation) : hit.conversation.id,
      focus: { conversationId: hit.conversation.id, seq: hit.message.seq, key: hit.message.clientMsgId },
    });
  };
  const where = (hit: SearchHit) => {
    const conversation = session.conversation(hit.conversation.id);
    if (conversation) return conversationTitle(conversation, session.userId, strings);
    return hit.conversation.record?.title ?? hit.conversation.name ?? '';
  };

  return (
    <div class="message-search" aria-busy={results.state === 'searching'}>
      <h3 class="section-title">{strings.matchingMessages}</h3>
      {results.state === 'searching' && <p class="notice">{strings.searching}</p>}
      {results.state === 'failed' && <p class="notice">{results.message}</p>}
      {results.state === 'done' && results.hits.length === 0 && (
        <p class="notice">{strings.noMessagesFound(query.trim())}</p>
      )}
      {results.state === 'done' && results.hits.length > 0 && (
        <ul class="conversations">
          {results.hits.map((hit) => (
            <li key={hit.message.id}>
              <button type="button" class="conversation hit" onClick={() => open(hit)}>
                <span class="conversation-text">
                  <span class="conversation-line">
                    <span class="conversation-title">{where(hit)}</span>
                    {hit.conversation.kind === 'notes' && (
                      <span class="note-tag">{strings.internalNote}</span>
                    )}
                    <time
                      class="conversation-time"
                      dateTime={hit.message.createdAt}
                      title={time.exact(hit.message.createdAt)}
                    >
                      {time.listTime(hit.message.createdAt, Date.now())}
                    </time>
                  </span>
                  <span class="hit-text">
                    <span class="sender">{hit.sender.displayName}: </span>
                    {snippetText(hit.snippet).map((segment, index) =>
                      segment.highlight ? <mark key={index}>{segment.text}</mark> : segment.text,
                    )}
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {results.state === 'done' && results.nextCursor && (
        <button type="button" class="button ghost wide" disabled={results.loadingMore} onClick={results.more}>
          {results.loadingMore ? strings.searching : strings.moreResults}
        </button>
      )}
    </div>
  );
}

/** The server's answer for the query, asked after a pause in typing; stale answers are dropped. */
function useSearch(q: string, within: SearchScope | undefined): Results & { more?: () => void } {
  const { session, strings } = useWidget();
  const [results, setResults] = useState<Results>({ state: 'idle' });
  // A record thread is searched with its notes: by record, not by conversation.
  const scope: Omit<SearchParams, 'q'> = !within
    ? {}
    : within.record
      ? { record: within.record }
      : { conversationId: within.conversationId };
  const scopeKey = JSON.stringify(scope);
  const latest = useRef('');
  latest.current = `${q}\n${scopeKey}`;
  useEffect(() => {
    if (!q) {
      setResults({ state: 'idle' });
      return;
    }
    let current = true;
    setResults({ state: 'searching' });
    const timer = setTimeout(() => {
      session.client.search({ q, ...scope }).then(
        (page) => current && setResults({ state: 'done', ...page, loadingMore: false }),
        (error: Error) =>
          current && setResults({ state: 'failed', message: strings.searchFailed(error.message) }),
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [session, q, scopeKey]);

  if (results.state !== 'done' || !results.nextCursor) return results;
  const { hits, nextCursor } = results;
  const more = () => {
    setResults({ ...results, loadingMore: true });
    const asked = latest.current;
    const still = () => latest.current === asked;
    session.client.search({ q, ...scope, cursor: nextCursor }).then(
      (page) =>
        still() &&
        setResults({
          state: 'done',
          hits: [...hits, ...page.hits],
          nextCursor: page.nextCursor,
          loadingMore: false,
        }),
      (error: Error) =>
        still() && setResults({ state: 'failed', message: strings.searchFailed(error.message) }),
    );
  };
  return { ...results, more };
}
