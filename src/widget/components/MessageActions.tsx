// The actions on one sent message: a "⋯" button (shown on hover and focus, always on touch screens, where a
// long press on the message opens it too) and its menu: quick reactions, the reaction picker, reply, edit,
// delete and copy link, as far as the user may. The menu keeps one tab stop and moves with the arrow keys;
// Esc, Tab or a click elsewhere closes it and focus goes back to the button.
import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Message } from '../../protocol/models.ts';
import { emojiName, frequentEmoji } from '../emoji.ts';
import { threadOf } from '../format.ts';
import { useLongPress } from '../long-press.ts';
import { messageLink } from '../message-link.ts';
import { messageRights } from '../message-rules.ts';
import type { ThreadMessage } from '../rows.ts';
import { useWidget } from '../state.ts';
import { useThreadActions } from '../thread-actions.ts';
import { Extra } from './Extra.tsx';
import { Icon, type IconName } from './Icon.tsx';

const QUICK_REACTIONS = 6;
/** Below this much room under the button, the menu opens upwards. */
const MENU_ROOM_PX = 300;

type Open = 'menu' | 'picker' | null;

export interface MessageActionsProps {
  message: ThreadMessage & { sent: Message };
  /** The sender's name, for the button's label. */
  name: string;
  /** The message's line, where a long press opens the menu. */
  holdTarget: RefObject<HTMLElement | null>;
}

export function MessageActions({ message, name, holdTarget }: MessageActionsProps) {
  const { session, strings, toast } = useWidget();
  const actions = useThreadActions();
  const [open, setOpen] = useState<Open>(null);
  const button = useRef<HTMLButtonElement>(null);
  const popover = useRef<HTMLDivElement>(null);
  const upwards = useRef(false);
  const { sent } = message;
  const rights = messageRights(sent, session.client.me, actions.archived);

  /** `refocus`: focus goes back to the button (for an action that opens nothing to type in). */
  const close = (refocus: boolean) => {
    setOpen(null);
    if (refocus) button.current?.focus();
  };
  useDismiss(open !== null, [button, popover], () => close(false));

  const react = (emoji: string) => {
    close(true);
    actions.toggleReaction(sent, emoji);
  };
  const copyLink = () => {
    close(true);
    const conversation = session.conversation(sent.conversationId);
    const threadId = conversation ? threadOf(conversation) : sent.conversationId;
    const link = messageLink(location.href, { threadId, conversationId: sent.conversationId, seq: sent.seq });
    navigator.clipboard.writeText(link).then(() => toast.set(strings.linkCopied), actions.failed);
  };
  const items: [shown: boolean, icon: IconName, label: string, run: () => void][] = [
    [rights.react, 'smile', strings.addReaction, () => setOpen('picker')],
    [
      rights.reply,
      'reply',
      strings.reply,
      () => {
        close(false);
        actions.setReplyingTo(message);
      },
    ],
    [
      rights.edit,
      'compose',
      strings.edit,
      () => {
        close(false);
        actions.setEditing(message.clientMsgId);
      },
    ],
    [
      rights.delete,
      'trash',
      strings.delete,
      () => {
        close(true);
        actions.askDelete(sent);
      },
    ],
    [true, 'link', strings.copyLink, copyLink],
  ];
  const quick = rights.react ? quickReactions(session.recentEmoji.list()) : [];

  const toggle = () => {
    if (open) return close(true);
    openMenu();
  };
  const openMenu = () => {
    const messages = button.current?.closest('.messages');
    const room =
      messages && button.current
        ? messages.getBoundingClientRect().bottom - button.current.getBoundingClientRect().bottom
        : MENU_ROOM_PX;
    upwards.current = room < MENU_ROOM_PX;
    setOpen('menu');
  };
  useLongPress(holdTarget, () => open === null && openMenu());

  return (
    <>
      <button
        ref={button}
        type="button"
        class="message-actions-button"
        aria-label={strings.messageActions(name)}
        title={strings.messageActions(name)}
        aria-haspopup="menu"
        aria-expanded={open !== null}
        onClick={toggle}
      >
        <Icon name="more" size={18} />
      </button>
      {open && (
        <div ref={popover} class={upwards.current ? 'popover up' : 'popover'}>
          {open === 'picker' ? (
            <Extra
              part="ReactionPicker"
              props={{ recent: session.recentEmoji.list(), choose: react, close: () => close(true) }}
            />
          ) : (
            <Menu label={strings.messageActions(name)} close={close}>
              {quick.map((emoji) => (
                <button
                  key={emoji}
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  class="emoji"
                  aria-label={strings.reactWith(emojiName(emoji))}
                  title={emojiName(emoji)}
                  onClick={() => react(emoji)}
                >
                  {emoji}
                </button>
              ))}
              {items
                .filter(([shown]) => shown)
                .map(([, icon, label, run]) => (
                  <button key={label} type="button" role="menuitem" tabIndex={-1} onClick={run}>
                    <Icon name={icon} size={16} />
                    {label}
                  </button>
                ))}
            </Menu>
          )}
        </div>
      )}
    </>
  );
}

/** The recent emoji first, then the frequent ones, a handful in all. */
function quickReactions(recent: readonly string[]): string[] {
  const frequent = frequentEmoji().map((emoji) => emoji.char);
  return [...new Set([...recent, ...frequent])].slice(0, QUICK_REACTIONS);
}

/** A menu whose items take focus in turn: the first on opening, then by the arrow keys, Home and End. */
function Menu({
  label,
  close,
  children,
}: {
  label: string;
  close: (refocus: boolean) => void;
  children: ComponentChildren;
}) {
  const menu = useRef<HTMLDivElement>(null);
  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];
  useLayoutEffect(() => items()[0]?.focus(), []);
  const onKeyDown = (event: KeyboardEvent) => {
    const all = items();
    const at = all.indexOf(event.target as HTMLElement);
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
    if (step) all[(at + step + all.length) % all.length]?.focus();
    else if (event.key === 'Home') all[0]?.focus();
    else if (event.key === 'End') all.at(-1)?.focus();
    else if (event.key === 'Escape') close(true);
    else if (event.key === 'Tab') return close(false);
    else return;
    event.preventDefault();
    // Escape closes the menu, not the panel.
    event.stopPropagation();
  };
  return (
    <div ref={menu} role="menu" class="menu" aria-label={label} onKeyDown={onKeyDown}>
      {children}
    </div>
  );
}

/** Calls `dismiss` on a press anywhere outside the given elements while `active`. */
function useDismiss(
  active: boolean,
  inside: readonly { current: HTMLElement | null }[],
  dismiss: () => void,
): void {
  useEffect(() => {
    const root = inside[0]?.current?.getRootNode();
    if (!active || !root) return;
    const onPointerDown = (event: Event) => {
      const path = event.composedPath();
      if (!inside.some((ref) => ref.current && path.includes(ref.current))) dismiss();
    };
    root.addEventListener('pointerdown', onPointerDown);
    return () => root.removeEventListener('pointerdown', onPointerDown);
  }, [active]);
}
