// Writing a message: Enter sends, Shift+Enter adds a line, the box grows with its text, and others see
// that the user is typing. The draft survives switching conversations, closing the panel and reloading
// (drafts.ts). In a record thread the composer always says who will see the text, and switches between
// everyone and an internal note.
// Typing `@` offers the people who can read the conversation, and `@channel` and `@here` to those who may
// mention everyone (composer-mentions.ts). A reply shows what it answers above the box (Esc or × drops it);
// ↑ in an empty box edits the user's last message.
import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Conversation } from '../../protocol/models.ts';
import { quoteOf } from '../../protocol/quotes.ts';
import { useComposerMentions } from '../composer-mentions.ts';
import { useFileDrop } from '../file-drop.ts';
import { useWidget } from '../state.ts';
import { fitHeight } from '../text-box.ts';
import { useThreadActions } from '../thread-actions.ts';
import { useUploads } from '../uploads.ts';
import { Icon } from './Icon.tsx';
import { MENTION_LIST_ID, MentionList, mentionOptionId } from './MentionList.tsx';
import { QuoteText } from './ReplyQuote.tsx';

const MAX_HEIGHT_PX = 140;

export interface ComposerProps {
  conversation: Conversation;
  /** The notes of the user's organisation, when this is a record thread that keeps some. */
  notes: Conversation | undefined;
  title: string;
  /** Where files dropped go to this message: the thread around it. */
  dropZone: RefObject<HTMLElement | null>;
}

export function Composer({ conversation, notes, title, dropZone }: ComposerProps) {
  const { session, strings } = useWidget();
  const [asNote, setAsNote] = useState(false);
  const conversationId = asNote && notes ? notes.id : conversation.id;
  const [text, setText] = useState(() => session.drafts.get(conversation.id));
  const box = useRef<HTMLTextAreaElement>(null);
  /** Where the caret goes once the text with a new mention is rendered. */
  const caretAfterRender = useRef<number | undefined>(undefined);
  const target = asNote && notes ? notes : conversation;
  const mentions = useComposerMentions(target, text, (next) => {
    caretAfterRender.current = next.caret;
    change(next.text);
  });
  const listing = mentions.options.length > 0;
  const { replyingTo, setReplyingTo, editLast } = useThreadActions();
  const reply = replyingTo?.sent ?? null;
  const files = useUploads(session.client, conversationId);
  const filePicker = useRef<HTMLInputElement>(null);
  useFileDrop(dropZone, strings.dropFiles, files.add);

  // A reply goes where its original is: to the notes for a note, else to everyone.
  useEffect(() => {
    if (!reply) return;
    setAsNote(reply.conversationId !== conversation.id);
    box.current?.focus();
  }, [reply?.id]);

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    fitHeight(element, MAX_HEIGHT_PX);
    const caret = caretAfterRender.current;
    caretAfterRender.current = undefined;
    if (caret !== undefined) element.setSelectionRange(caret, caret);
  }, [text]);

  const change = (value: string) => {
    setText(value);
    session.drafts.set(conversation.id, value);
    session.client.setTyping(conversationId, value.trim() !== '');
  };

  const switchAudience = (note: boolean) => {
    if (note === asNote) return;
    setReplyingTo(null);
    // Files went to one audience's conversation: a message to the other cannot carry them.
    files.clear();
    // Whoever saw the user typing in one audience must not keep seeing it from the other.
    session.client.setTyping(conversationId, false);
    setAsNote(note);
    box.current?.focus();
  };

  /** Esc drops the reply, ↑ in an empty box edits the last message; answers whether the key was used. */
  const steerActions = (key: string): boolean => {
    if (key === 'Escape' && reply) setReplyingTo(null);
    else if (key === 'ArrowUp' && text === '') return editLast(conversationId);
    else return false;
    return true;
  };

  const send = () => {
    const body = text.trim();
    const attachmentIds = files.ready ?? [];
    if (!files.ready || (!body && attachmentIds.length === 0)) return;
    const replyToId = reply?.conversationId === conversationId ? reply.id : undefined;
    const { mentions: mentioned, broadcast } = mentions.take(body);
    session.client.send(conversationId, body, mentioned, { replyToId, attachmentIds, broadcast });
    files.clear();
    setReplyingTo(null);
    change('');
    box.current?.focus();
  };

  const audience = target.audience?.map((org) => org.name) ?? [];
  return (
    <form
      class={`composer${asNote ? ' note' : ''}`}
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {notes && (
        <fieldset class="audience">
          <legend class="visually-hidden">{strings.audience}</legend>
          <div class="audience-switch">
            <button type="button" aria-pressed={!asNote} onClick={() => switchAudience(false)}>
              {strings.everyone}
            </button>
            <button type="button" aria-pressed={asNote} onClick={() => switchAudience(true)}>
              <Icon name="lock" size={12} />
              {strings.internalNote}
            </button>
          </div>
        </fieldset>
      )}
      {audience.length > 0 && (
        <p class="audience-line" id="parley-composer-audience">
          {asNote && <Icon name="lock" size={12} />}
          {asNote ? strings.onlyVisibleTo(audience) : strings.visibleTo(audience)}
        </p>
      )}
      <label class="visually-hidden" for="parley-composer">
        {strings.message}
      </label>
      {listing && (
        <MentionList
          options={mentions.options}
          active={mentions.active}
          choose={mentions.choose}
          others={target.memberCount - 1}
        />
      )}
      {reply && (
        <div class="reply-bar">
          <Icon name="reply" size={14} />
          <span class="reply-bar-text">
            <span class="visually-hidden">{strings.replyingTo}</span>
            <QuoteText quote={quoteOf(reply)} />
          </span>
          <button
            type="button"
            class="icon-button small"
            aria-label={strings.cancelReply}
            title={strings.cancelReply}
            onClick={() => {
              setReplyingTo(null);
              box.current?.focus();
            }}
          >
            <Icon name="close" size={14} />
          </button>
        </div>
      )}
      {files.uploads.length > 0 && (
        <ul class="uploads">
          {files.uploads.map((upload) => (
            <li key={upload.key}>
              <span class="file-name">{upload.name}</span>
              <span
                class={`upload-state${upload.error ? ' failed' : ''}`}
                role={upload.error ? 'alert' : undefined}
              >
                {upload.error ??
                  (upload.attachment ? '' : strings.uploading(Math.round(upload.progress * 100)))}
              </span>
              <button
                type="button"
                class="icon-button small"
                aria-label={strings.removeFile(upload.name)}
                onClick={upload.cancel}
              >
                <Icon name="close" size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        ref={filePicker}
        type="file"
        multiple
        hidden
        onChange={(event) => {
          files.add([...(event.currentTarget.files ?? [])]);
          event.currentTarget.value = '';
        }}
      />
      <button
        type="button"
        class="icon-button attach"
        aria-label={strings.attachFiles}
        title={strings.attachFiles}
        onClick={() => filePicker.current?.click()}
      >
        <Icon name="attach" size={18} />
      </button>
      <textarea
        id="parley-composer"
        ref={box}
        rows={1}
        value={text}
        placeholder={asNote ? strings.notePlaceholder : strings.messagePlaceholder(title)}
        aria-describedby={
          audience.length > 0 ? 'parley-composer-audience parley-composer-hint' : 'parley-composer-hint'
        }
        aria-autocomplete="list"
        aria-controls={listing ? MENTION_LIST_ID : undefined}
        aria-activedescendant={listing ? mentionOptionId(mentions.active) : undefined}
        data-autofocus=""
        onInput={(event) => {
          change(event.currentTarget.value);
          mentions.lookFor(event.currentTarget.value, event.currentTarget.selectionStart);
        }}
        onKeyDown={(event) => {
          if (event.isComposing) return;
          if (mentions.steer(event.key) || steerActions(event.key)) {
            event.preventDefault();
            // Escape closes the list, not the panel.
            event.stopPropagation();
            return;
          }
          if (event.key !== 'Enter' || event.shiftKey) return;
          event.preventDefault();
          send();
        }}
        onBlur={() => {
          session.client.setTyping(conversationId, false);
          mentions.close();
        }}
        onPaste={(event) => {
          const pasted = [...(event.clipboardData?.files ?? [])];
          if (pasted.length === 0) return;
          event.preventDefault();
          files.add(pasted);
        }}
      />
      <span id="parley-composer-hint" class="visually-hidden">
        {strings.composerHint}
      </span>
      <button
        type="submit"
        class="send"
        aria-label={strings.send}
        title={strings.send}
        disabled={!files.ready || (!text.trim() && files.ready.length === 0)}
      >
        <Icon name="send" size={18} />
      </button>
    </form>
  );
}
