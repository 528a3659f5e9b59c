// Choosing a reaction: the user's recent emoji and the frequent ones, or those whose name matches what is
// typed in the search field (Enter takes the first). The grid is one tab stop whose focus the arrow keys,
// Home and End move (↓ from the field goes into it, ↑ from its first row back); Enter or Space on an emoji
// reacts with it. Esc closes the picker and focus goes back to where it opened.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { SearchField } from '../components/SearchField.tsx';
import { emojiName, frequentEmoji } from '../emoji.ts';
import { useWidget } from '../state.ts';
import { searchEmoji } from './emoji.ts';
import { gridStep } from './grid-step.ts';

export interface ReactionPickerProps {
  /** The emoji the user reacted with lately, newest first. */
  recent: readonly string[];
  choose: (emoji: string) => void;
  close: () => void;
}

export function ReactionPicker({ recent, choose, close }: ReactionPickerProps) {
  const { strings } = useWidget();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const picker = useRef<HTMLDivElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => picker.current?.querySelector('input')?.focus(), []);
  const found = query.trim()
    ? searchEmoji(query).map((emoji) => emoji.char)
    : [...new Set([...recent, ...frequentEmoji().map((emoji) => emoji.char)])];
  const focusCell = (index: number) => {
    setActive(index);
    grid.current?.querySelectorAll<HTMLElement>('.emoji')[index]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const inField = event.target instanceof HTMLInputElement;
    const first = found[0];
    if (event.key === 'Escape') close();
    else if (event.key === 'Enter' && inField && first) choose(first);
    else if (event.key === 'ArrowDown' && inField && first) focusCell(active);
    else if (!inField && grid.current) {
      // As many columns as the stylesheet lays out: seven in the popover, eight in a phone's sheet.
      const columns = getComputedStyle(grid.current).gridTemplateColumns.split(' ').length;
      const next = gridStep(event.key, active, found.length, columns);
      if (next === undefined) return;
      if (next === 'out') picker.current?.querySelector('input')?.focus();
      else focusCell(next);
    } else return;
    event.preventDefault();
    // Escape closes the picker, not the panel.
    event.stopPropagation();
  };

  return (
    <div ref={picker} role="dialog" class="picker" aria-label={strings.chooseReaction} onKeyDown={onKeyDown}>
      <SearchField
        label={strings.searchEmoji}
        value={query}
        onInput={(value) => {
          setQuery(value);
          setActive(0);
        }}
      />
      {found.length === 0 ? (
        <p class="picker-empty">{strings.noEmoji}</p>
      ) : (
        <div ref={grid} class="emoji-grid">
          {found.map((emoji, index) => (
            <button
              key={emoji}
              type="button"
              class="emoji"
              tabIndex={index === active ? 0 : -1}
              aria-label={emojiName(emoji)}
              title={emojiName(emoji)}
              onClick={() => choose(emoji)}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
