// Tells the user about messages from others: announced to screen readers when the conversation is on screen;
// a short chime and a system notification when the panel is closed or the tab hidden (unless muted).
import type { Conversation, Message } from '../protocol/models.ts';
import { conversationTitle, threadOf } from './format.ts';
import type { WidgetSession } from './session.ts';
import type { PanelState, Value } from './state.ts';
import type { Strings } from './strings.ts';

/** Older messages arriving (a catch-up after a reconnect) are history, not news. */
const FRESH_MS = 2 * 60_000;
const CHIME_GAP_MS = 2000;

export const notificationsSupported = () => typeof Notification === 'function';

/** Whether to offer the "Enable notifications" control: supported and not decided yet. */
export const notificationsUndecided = () => notificationsSupported() && Notification.permission === 'default';

/** Must be called from a user gesture (a click), or browsers refuse to ask. */
export function requestNotifications(): Promise<NotificationPermission> {
  return Notification.requestPermission();
}

let audio: AudioContext | undefined;
let lastChime = 0;

/** Browsers let a page make sound only after a gesture: call on the first click or key in the widget. */
export function unlockSound(): void {
  if (typeof AudioContext !== 'function') return;
  audio ??= new AudioContext();
  if (audio.state === 'suspended') void audio.resume();
}

/** Two soft notes, made on the spot: no audio file to load. */
function chime(): void {
  if (audio?.state !== 'running' || Date.now() - lastChime < CHIME_GAP_MS) return;
  lastChime = Date.now();
  const start = audio.currentTime;
  for (const [offset, frequency] of [
    [0, 880],
    [0.09, 1320],
  ] as const) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.12, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.35);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.4);
  }
}

export interface IncomingDeps {
  session: WidgetSession;
  panel: Value<PanelState>;
  announcement: Value<string>;
  strings: Strings;
}

/** Watches the SDK for messages from others; returns the function that stops watching. */
export function watchIncoming({ session, panel, announcement, strings }: IncomingDeps): () => void {
  return session.client.on('messages', (conversationId, messages) => {
    const news = messages.filter(
      (message) =>
        message.senderId !== session.userId && Date.now() - Date.parse(message.createdAt) < FRESH_MS,
    );
    const last = news.at(-1);
    const conversation = session.conversation(conversationId);
    if (!last || !conversation) return;
    const { open, route } = panel.get();
    const onScreen = open && document.visibilityState === 'visible';
    const threadOpen = route.view === 'thread' && route.conversationId === threadOf(conversation);
    if (onScreen) {
      if (threadOpen) announcement.set(strings.newMessageFrom(session.nameOf(last.senderId), last.body));
      return;
    }
    if (conversation.muted) return;
    chime();
    showNotification(last, conversation, session, panel, strings);
  });
}

function showNotification(
  message: Message,
  conversation: Conversation,
  session: WidgetSession,
  panel: Value<PanelState>,
  strings: Strings,
): void {
  if (!notificationsSupported() || Notification.permission !== 'granted') return;
  const sender = session.nameOf(message.senderId);
  const title = conversationTitle(conversation, session.userId, strings);
  const notification = new Notification(strings.notificationTitle(sender, title), {
    body: message.body.length > 160 ? `${message.body.slice(0, 159)}…` : message.body,
    // One notification per conversation: a newer message replaces the older one.
    tag: `parley:${message.conversationId}`,
  });
  notification.onclick = () => {
    window.focus();
    panel.set({ open: true, route: { view: 'thread', conversationId: threadOf(conversation) } });
    notification.close();
  };
}
