// Where the user is in the chat: the conversation open in the panel. The widget on a host page (floating or
// docked) keeps it, with whether the panel was open, in the tab's storage under the user's id, so reloading
// the host page brings it back to that user only; in page mode the page's URL holds it instead (the host
// API's `conversation`).
import type { KeyValueStorage } from '../client/index.ts';
import type { PanelState, Value } from './state.ts';

export const placeKey = (userId: string) => `parley:place:${userId}`;

interface StoredPlace {
  open: boolean;
  conversationId: string | null;
}

/** The conversation the panel shows, or null for the list and the other views. */
export function openConversationOf(state: PanelState): string | null {
  return state.route.view === 'thread' ? state.route.conversationId : null;
}

function readPlace(stored: string | null): StoredPlace | null {
  if (!stored) return null;
  try {
    const place = JSON.parse(stored) as Partial<StoredPlace> | null;
    return {
      open: place?.open === true,
      conversationId: typeof place?.conversationId === 'string' ? place.conversationId : null,
    };
  } catch (error) {
    console.warn('Parley: the stored place in the chat is not readable and was dropped.', error);
    return null;
  }
}

/**
 * Brings the panel back to the stored place, unless the host has already moved it (an `openConversation`
 * while the chat was starting), then stores every move. Answers the function that stops storing.
 */
export function keepPlace(
  panel: Value<PanelState>,
  untouched: PanelState,
  storage: KeyValueStorage,
  userId: string,
): () => void {
  const place = readPlace(storage.get(placeKey(userId)));
  if (place && panel.get() === untouched) {
    panel.set({
      open: place.open,
      route: place.conversationId
        ? { view: 'thread', conversationId: place.conversationId }
        : { view: 'list' },
    });
  }
  return panel.subscribe((state) => {
    const next: StoredPlace = { open: state.open, conversationId: openConversationOf(state) };
    storage.set(placeKey(userId), JSON.stringify(next));
  });
}

/** Forgets the user's place (on logout). */
export function forgetPlace(storage: KeyValueStorage, userId: string): void {
  storage.set(placeKey(userId), '{}');
}
