// The chat panel: the conversation list and the current view side by side when there is room (full-page mode
// in a wide container), one at a time otherwise. Floating over the host page it is a dialog: Esc closes it,
// Tab stays inside. Docked at the side it is a region beside the page (Esc closes it, Tab goes on to the
// page). Either way, on phones it fills the visible viewport above the on-screen keyboard.
import type { RefObject } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { focusView, trapFocus } from '../focus.ts';
import { useDockedWidth, usePhone } from '../placement.ts';
import { type Route, usePanel, useWidget } from '../state.ts';
import { ChannelBrowser } from './ChannelBrowser.tsx';
import { ChannelSettings } from './ChannelSettings.tsx';
import { ConversationList } from './ConversationList.tsx';
import { NewChannel } from './NewChannel.tsx';
import { NotificationSettings } from './NotificationSettings.tsx';
import { PeoplePicker } from './PeoplePicker.tsx';
import { Thread } from './Thread.tsx';
import { Toast } from './Toast.tsx';

export function Panel() {
  const { options, strings, closePanel } = useWidget();
  const { route } = usePanel();
  const root = useRef<HTMLElement>(null);
  // Floating or docked, the user opened the panel and closes it; in page mode it is the page.
  const opened = options.mode !== 'page';
  // Over the page it is a dialog; a docked panel is one only on phones, where it covers the page too.
  const phone = usePhone();
  const modal = options.mode === 'floating' || (options.mode === 'docked' && phone);
  useVisualViewport(root, opened);
  useRouteFocus(root, route, opened);
  useKeyboard(root, opened, modal, closePanel);
  useDockedWidth(root, options.mode === 'docked');

  const content = (
    <>
      <div class="pane pane-list">
        <ConversationList />
      </div>
      <div class="pane pane-main">
        {route.view === 'thread' ? (
          <Thread key={route.conversationId} conversationId={route.conversationId} focus={route.focus} />
        ) : route.view === 'people' ? (
          <PeoplePicker />
        ) : route.view === 'channels' ? (
          <ChannelBrowser />
        ) : route.view === 'new-channel' ? (
          <NewChannel />
        ) : route.view === 'channel-settings' ? (
          <ChannelSettings key={route.conversationId} conversationId={route.conversationId} />
        ) : route.view === 'notification-settings' ? (
          <NotificationSettings />
        ) : (
          <p class="pick">{strings.pickConversation}</p>
        )}
      </div>
      <Toast />
    </>
  );
  // Docked is a floating panel pinned to the side: on phones both fill the screen.
  const className = options.mode === 'docked' ? 'panel floating docked' : `panel ${options.mode}`;
  const landmark = modal
    ? { role: 'dialog' as const, 'aria-modal': 'true' as const, 'aria-label': strings.chat }
    : { role: 'complementary' as const, 'aria-label': strings.chat };
  return opened ? (
    <div
      ref={root as RefObject<HTMLDivElement>}
      class={className}
      data-view={route.view}
      {...landmark}
      tabIndex={-1}
    >
      {content}
    </div>
  ) : (
    <section ref={root} class={className} data-view={route.view} aria-label={strings.chat} tabIndex={-1}>
      {content}
    </section>
  );
}

/** Esc closes a panel the user opened; in a dialog, Tab stays inside. */
function useKeyboard(
  root: RefObject<HTMLElement | null>,
  opened: boolean,
  modal: boolean,
  close: () => void,
): void {
  useEffect(() => {
    const panel = root.current;
    if (!opened || !panel) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        close();
      } else if (event.key === 'Tab' && modal) {
        trapFocus(event, panel);
      }
    };
    panel.addEventListener('keydown', onKeyDown);
    return () => panel.removeEventListener('keydown', onKeyDown);
  }, [root, opened, modal, close]);
}

/** On phones the panel takes the visual viewport's height, which shrinks when the keyboard opens. */
function useVisualViewport(root: RefObject<HTMLElement | null>, enabled: boolean): void {
  useEffect(() => {
    const viewport = window.visualViewport;
    const panel = root.current;
    if (!enabled || !viewport || !panel) return;
    const update = () => {
      panel.style.setProperty('--parley-viewport-height', `${viewport.height}px`);
      panel.style.setProperty('--parley-viewport-top', `${viewport.offsetTop}px`);
    };
    update();
    viewport.addEventListener('resize', update);
    viewport.addEventListener('scroll', update);
    return () => {
      viewport.removeEventListener('resize', update);
      viewport.removeEventListener('scroll', update);
    };
  }, [root, enabled]);
}

/**
 * Focus follows the view: into the new view, or back to the conversation the user came from. Full-page mode
 * does not take focus when the page loads.
 */
function useRouteFocus(root: RefObject<HTMLElement | null>, route: Route, opened: boolean): void {
  const previous = useRef<Route | null>(null);
  useEffect(() => {
    const panel = root.current;
    const before = previous.current;
    previous.current = route;
    if (!panel || (before === null && !opened)) return;
    const view = panel.querySelector(route.view === 'list' ? '.pane-list' : '.pane-main');
    const cameFrom =
      route.view === 'list' && before?.view === 'thread'
        ? panel.querySelector<HTMLElement>(`[data-conversation="${CSS.escape(before.conversationId)}"]`)
        : null;
    focusView(panel, view, cameFrom);
  }, [root, route, opened]);
}
