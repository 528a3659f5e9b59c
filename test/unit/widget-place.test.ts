import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../src/client/index.ts';
import { Drafts, draftsKey } from '../../src/widget/drafts.ts';
import { forgetPlace, keepPlace, openConversationOf, placeKey } from '../../src/widget/place.ts';
import { type PanelState, Value } from '../../src/widget/state.ts';

describe('drafts', () => {
  it('are kept per user and per conversation, and sending (an empty draft) removes one', () => {
    const storage = memoryStorage();
    const ana = new Drafts(storage, draftsKey('ana'));
    ana.set('c1', 'half a thought');
    ana.set('c2', 'another');
    expect(new Drafts(storage, draftsKey('ana')).get('c1')).toBe('half a thought');
    expect(new Drafts(storage, draftsKey('raj')).get('c1')).toBe('');
    ana.set('c1', '');
    expect(ana.get('c1')).toBe('');
    expect(JSON.parse(storage.get(draftsKey('ana')) ?? '')).toEqual([['c2', 'another']]);
  });

  it('written in two tabs, keep each other; the oldest go beyond 50 conversations', () => {
    const storage = memoryStorage();
    const tab1 = new Drafts(storage, draftsKey('ana'));
    const tab2 = new Drafts(storage, draftsKey('ana'));
    tab1.set('c1', 'one');
    tab2.set('c2', 'two');
    expect([tab1.get('c2'), tab2.get('c1')]).toEqual(['two', 'one']);
    // Integer-like ids too: the oldest drafts go, not the lowest ids.
    for (let i = 3; i <= 52; i++) tab1.set(String(100 - i), `draft ${i}`);
    expect([tab1.get('c1'), tab1.get('c2'), tab1.get('97'), tab1.get('48')]).toEqual([
      '',
      '',
      'draft 3',
      'draft 52',
    ]);
  });

  it('unreadable in storage are dropped, not fatal; forget clears them', () => {
    const storage = memoryStorage();
    storage.set(draftsKey('ana'), '{not json');
    const drafts = new Drafts(storage, draftsKey('ana'));
    expect(drafts.get('c1')).toBe('');
    drafts.set('c1', 'fresh');
    drafts.forget();
    expect(drafts.get('c1')).toBe('');
  });
});

describe('the place in the floating widget', () => {
  const closedList: PanelState = { open: false, route: { view: 'list' } };

  it('is stored on every move and brought back for the same user only', () => {
    const storage = memoryStorage();
    const panel = new Value<PanelState>(closedList);
    const stop = keepPlace(panel, closedList, storage, 'ana');
    panel.set({ open: true, route: { view: 'thread', conversationId: 'c7' } });
    stop();

    const again = new Value<PanelState>(closedList);
    keepPlace(again, closedList, storage, 'ana');
    expect(again.get()).toEqual({ open: true, route: { view: 'thread', conversationId: 'c7' } });
    const other = new Value<PanelState>(closedList);
    keepPlace(other, closedList, storage, 'raj');
    expect(other.get()).toBe(closedList);
  });

  it('does not override a conversation the host opened while the chat was starting', () => {
    const storage = memoryStorage();
    storage.set(placeKey('ana'), JSON.stringify({ open: true, conversationId: 'c7' }));
    const panel = new Value<PanelState>(closedList);
    const opened: PanelState = { open: true, route: { view: 'thread', conversationId: 'c9' } };
    panel.set(opened);
    keepPlace(panel, closedList, storage, 'ana');
    expect(openConversationOf(panel.get())).toBe('c9');
  });

  it('forgotten or unreadable, is the closed list', () => {
    const storage = memoryStorage();
    storage.set(placeKey('ana'), 'garbage');
    const panel = new Value<PanelState>(closedList);
    keepPlace(panel, closedList, storage, 'ana');
    expect(panel.get()).toBe(closedList);
    forgetPlace(storage, 'ana');
    expect(storage.get(placeKey('ana'))).toBe('{}');
  });
});
