// The list view: the user's conversations by activity (records under their own heading), a search box,
// the way to new conversations and channels and to the user's notification settings, and the connection
// status in the header.
import { useMemo, useState } from 'preact/hooks';
import type { Conversation } from '../../protocol/models.ts';
import { conversationTitle, withNotesFolded } from '../format.ts';
import { useConversations, useDirectory, useNow, usePanel, useWidget } from '../state.ts';
import { ConnectionStatus } from './ConnectionStatus.tsx';
import { ConversationItem } from './ConversationItem.tsx';
import { Extra } from './Extra.tsx';
import { Icon } from './Icon.tsx';
import { IconButton } from './IconButton.tsx';
import { NotificationPrompt } from './NotificationPrompt.tsx';
import { PanelHeader } from './PanelHeader.tsx';
import { SearchField } from './SearchField.tsx';

export function ConversationList() {
  const { session, strings, go } = useWidget();
  const all = useConversations();
  const conversations = useMemo(() => withNotesFolded(all), [all]);
  useDirectory();
  const now = useNow();
  const { route } = usePanel();
  const [query, setQuery] = useState('');
  const selectedId = route.view === 'thread' ? route.conversationId : undefined;
  const within = route.view === 'list' ? route.within : undefined;

  const needle = query.trim().toLowerCase();
  // Narrowed to one conversation, the search box looks only for its messages.
  const matches = within
    ? []
    : needle
      ? conversations.filter((c) => searchText(c, session.userId, strings).includes(needle))
      : conversations;
  const chats = matches.filter((c) => c.kind !== 'record');
  const records = matches.filter((c) => c.kind === 'record');
  const section = (items: Conversation[]) => (
    <ul class="conversations">
      {items.map((c) => (
        <ConversationItem key={c.id} conversation={c} selected={c.id === selectedId} now={now} />
      ))}
    </ul>
  );

  return (
    <section class="view" aria-labelledby="parley-list-title">
      <PanelHeader
        titleId="parley-list-title"
        title={strings.messages}
        subtitle={<ConnectionStatus />}
        actions={
          <>
            <IconButton
              icon="bell"
              label={strings.notificationSettings}
              onClick={() => go({ view: 'notification-settings' })}
            />
            <IconButton
              icon="compose"
              label={strings.newConversation}
              onClick={() => go({ view: 'people' })}
            />
          </>
        }
      />
      {conversations.length > 0 && (
        <div class="toolbar">
          <SearchField
            label={strings.searchConversations}
            placeholder={strings.searchShort}
            value={query}
            onInput={setQuery}
            autofocus
          />
        </div>
      )}
      {within && (
        <div class="search-scope">
          <span>{strings.searchingIn(within.title)}</span>
          <IconButton
            icon="close"
            label={strings.searchEverywhere}
            onClick={() => go({ view: 'list' })}
            small
          />
        </div>
      )}
      <NotificationPrompt />
      {/* biome-ignore lint/a11y/noStaticElementInteractions: arrow keys move between the buttons inside */}
      <div class="scroll" onKeyDown={moveBetweenItems}>
        {conversations.length === 0 ? (
          <div class="empty">
            <span class="empty-icon">
              <Icon name="chat" size={28} />
            </span>
            <p class="empty-title">{strings.noConversations}</p>
            <p>{strings.noConversationsHint}</p>
            <button type="button" class="button primary" onClick={() => go({ view: 'people' })}>
              {strings.newConversation}
            </button>
          </div>
        ) : (
          <>
            {chats.length > 0 && (records.length > 0 || needle) && (
              <h3 class="section-title">{strings.conversations}</h3>
            )}
            {chats.length > 0 && section(chats)}
            {records.length > 0 && <h3 class="section-title">{strings.records}</h3>}
            {records.length > 0 && section(records)}
          </>
        )}
        {needle && <Extra part="MessageSearch" props={{ query, within }} />}
      </div>
      <footer class="footer">
        <button type="button" class="button ghost wide" onClick={() => go({ view: 'channels' })}>
          <Icon name="hash" size={16} />
          {strings.browseChannels}
        </button>
      </footer>
    </section>
  );
}

function searchText(c: Conversation, meId: string, strings: Parameters<typeof conversationTitle>[2]): string {
  const names = (c.members ?? []).map((member) => member.displayName);
  return [conversationTitle(c, meId, strings), ...names].join(' ').toLowerCase();
}

/** Up and down arrows move between conversations, as in any list. */
function moveBetweenItems(event: KeyboardEvent): void {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const current = event.target as HTMLElement;
  if (!current.matches('.conversation')) return;
  const items = [...(event.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('.conversation')];
  const next = items[items.indexOf(current) + (event.key === 'ArrowDown' ? 1 : -1)];
  if (!next) return;
  event.preventDefault();
  next.focus();
}
