// The open conversation's rows, windowed: only the rows in view (plus some overscan) are in the DOM, so a
// 10,000-message thread scrolls smoothly. The view sticks to the bottom while the user is there, and holds
// the row they are reading still when older pages are prepended or rows change height. A thread opens at its
// "new messages" divider, and while the user reads further up, "Jump to latest" counts what arrived since.
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Row } from '../rows.ts';
import { useWidget } from '../state.ts';
import { layoutRows, totalHeight, visibleRange } from '../virtual.ts';
import { Icon } from './Icon.tsx';

const OVERSCAN_PX = 800;
const NEAR_TOP_PX = 400;
const NEAR_BOTTOM_PX = 48;
/** The row key of the "new messages" divider (rows.ts). */
const UNREAD_KEY = 'unread';
const DIVIDER_MARGIN_PX = 24;

export interface MessageListProps {
  rows: Row[];
  render: (row: Row) => ComponentChildren;
  /** Called when the user nears the top: load an older page. */
  onNearTop: () => void;
  /** The conversation's title, naming the message region for screen readers. */
  title: string;
  /** A row to bring into view and highlight once it is there (a search hit). */
  focusKey?: string | undefined;
}

/** The row the user is looking at, and how far into it the viewport starts. */
interface Anchor {
  key: string;
  delta: number;
}

export function MessageList({ rows, render, onNearTop, title, focusKey }: MessageListProps) {
  const { strings } = useWidget();
  const scroller = useRef<HTMLElement>(null);
  const heights = useRef(new Map<string, number>());
  const [measured, setMeasured] = useState(0);
  const [viewport, setViewport] = useState({ top: 0, height: 0, width: 0 });
  const [farFromBottom, setFarFromBottom] = useState(false);
  const stick = useRef(true);
  const anchor = useRef<Anchor | null>(null);
  const lastKey = useRef<string | undefined>(undefined);
  const focused = useRef<string | undefined>(focusKey ? undefined : UNREAD_KEY);
  /** Messages of others that arrived while the user was not at the bottom. */
  const arrived = useRef(0);

  // The user's own new message brings them to the bottom, wherever they were.
  const last = rows.at(-1);
  if (last && last.key !== lastKey.current && last.kind === 'message' && last.mine) stick.current = true;
  if (stick.current) arrived.current = 0;
  else if (last && lastKey.current && last.key !== lastKey.current)
    arrived.current += arrivedAfter(rows, lastKey.current);
  lastKey.current = last?.key;

  const keys = useMemo(() => rows.map((row) => row.key), [rows]);
  const layout = useMemo(
    () => layoutRows(keys, heights.current, (index) => estimateHeight(rows[index], viewport.width)),
    [keys, measured, viewport.width],
  );
  // A focused row is shown a third of the way down, once, the first time it is among the rows; without
  // one, the thread opens with the first unread message near the top.
  if (focusKey && focused.current !== focusKey && layout.indexOf.has(focusKey)) {
    focused.current = focusKey;
    stick.current = false;
    anchor.current = { key: focusKey, delta: -Math.round((viewport.height || 600) / 3) };
  } else if (focused.current === UNREAD_KEY && viewport.height > 0) {
    focused.current = undefined;
    if (layout.indexOf.has(UNREAD_KEY)) {
      stick.current = false;
      anchor.current = { key: UNREAD_KEY, delta: -DIVIDER_MARGIN_PX };
    }
  }
  const total = totalHeight(layout);
  const anchorIndex = anchor.current ? layout.indexOf.get(anchor.current.key) : undefined;
  // Render where the viewport will be once positioned: at the bottom, or with the anchor row held still.
  const top = stick.current
    ? Math.max(0, total - viewport.height)
    : anchor.current && anchorIndex !== undefined
      ? (layout.offsets[anchorIndex] ?? 0) + anchor.current.delta
      : viewport.top;
  const { start, end } = visibleRange(layout, top, viewport.height || 800, OVERSCAN_PX);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    let changed = false;
    for (const node of element.querySelectorAll<HTMLElement>('[data-row]')) {
      const key = node.dataset.row as string;
      if (heights.current.get(key) !== node.offsetHeight) {
        heights.current.set(key, node.offsetHeight);
        changed = true;
      }
    }
    if (stick.current) {
      element.scrollTop = element.scrollHeight;
    } else if (anchor.current) {
      const node = rowNode(element, anchor.current.key);
      const index = layout.indexOf.get(anchor.current.key);
      const rowTop = node ? node.offsetTop : index === undefined ? undefined : layout.offsets[index];
      if (rowTop !== undefined) element.scrollTop = rowTop + anchor.current.delta;
      // A row held where the list cannot scroll past the bottom leaves the user at the bottom, as if there.
      if (element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_BOTTOM_PX)
        stick.current = true;
    }
    if (changed) setMeasured((version) => version + 1);
    // A short first page does not fill the view, so no scroll would ever ask for more.
    else if (element.scrollHeight <= element.clientHeight) onNearTop();
  });

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const resize = () =>
      setViewport({ top: element.scrollTop, height: element.clientHeight, width: element.clientWidth });
    resize();
    const observer = new ResizeObserver(resize);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    const fromBottom = element.scrollHeight - element.scrollTop - element.clientHeight;
    stick.current = fromBottom < NEAR_BOTTOM_PX;
    anchor.current = findAnchor(element);
    setViewport({ top: element.scrollTop, height: element.clientHeight, width: element.clientWidth });
    setFarFromBottom(fromBottom > element.clientHeight);
    if (element.scrollTop < NEAR_TOP_PX) onNearTop();
  };

  const jumpToLatest = () => {
    stick.current = true;
    arrived.current = 0;
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  };

  return (
    <div class="messages-frame">
      <section
        ref={scroller}
        class="messages"
        aria-label={strings.messagesIn(title)}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        tabIndex={0}
        onScroll={onScroll}
      >
        <div style={`height:${layout.offsets[start] ?? 0}px`} />
        {rows.slice(start, end).map((row) => (
          <div key={row.key} data-row={row.key} class={row.key === focusKey ? 'row focused' : 'row'}>
            {render(row)}
          </div>
        ))}
        <div style={`height:${total - (layout.offsets[end] ?? total)}px`} />
      </section>
      {(farFromBottom || arrived.current > 0) && (
        <button type="button" class="jump" onClick={jumpToLatest}>
          <Icon name="down" size={16} />
          {arrived.current > 0 ? strings.newMessagesBelow(arrived.current) : strings.jumpToLatest}
        </button>
      )}
    </div>
  );
}

/** How many messages of others come after the row that was last before. */
function arrivedAfter(rows: readonly Row[], previousLast: string): number {
  const from = rows.findIndex((row) => row.key === previousLast);
  if (from < 0) return 0;
  return rows.slice(from + 1).filter((row) => row.kind === 'message' && !row.mine).length;
}

function rowNode(scroller: HTMLElement, key: string): HTMLElement | null {
  return scroller.querySelector<HTMLElement>(`[data-row="${CSS.escape(key)}"]`);
}

function findAnchor(scroller: HTMLElement): Anchor | null {
  for (const node of scroller.querySelectorAll<HTMLElement>('[data-row]')) {
    if (node.offsetTop + node.offsetHeight > scroller.scrollTop) {
      return { key: node.dataset.row as string, delta: scroller.scrollTop - node.offsetTop };
    }
  }
  return null;
}

/** A guess for rows not measured yet; close guesses keep the scrollbar steady. */
function estimateHeight(row: Row | undefined, width: number): number {
  if (!row) return 0;
  if (row.kind === 'top') return 64;
  if (row.kind === 'day') return 44;
  if (row.kind === 'receipt') return 22;
  if (row.kind === 'unread') return 32;
  if (row.kind === 'event') return 40;
  const charsPerLine = Math.max(20, Math.floor((width * 0.7) / 7.5));
  const lines = row.message.body
    .split('\n')
    .reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / charsPerLine)), 0);
  return lines * 20 + 20 + (row.first ? 24 : 0) + (row.message.status === 'sent' ? 0 : 20);
}
