// Choosing a reaction: the user's recent emoji and the frequent ones, or those whose name matches what is
// typed in the search field (Enter takes the first). Esc closes it and focus goes back to where it opened.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { SearchField } from '../components/SearchField.tsx';
import { emojiName, frequentEmoji } from '../emoji.ts';
import { useWidget } from '../state.ts';
import { searchEmoji } from './emoji.ts';

export interface ReactionPickerProps {
  /** The emoji the user reacted with lately, newest first. */
  recent: readonly string[];
  choose: (emoji: string) => void;
  close: () => void;
}

export function ReactionPicker({ recent, choose, close }: ReactionPickerProps) {
  const { strings } = useWidget();
  const [query, setQuery] = useState('');
  const picker = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => picker.current?.querySelector('input')?.focus(), []);
  const found = query.trim()
    ? searchEmoji(query).map((emoji) => emoji.char)
    : [...new Set([...recent, ...frequentEmoji().map((emoji) => emoji.char)])];
  return (
    <div
      ref={picker}
      role="dialog"
      class="picker"
      aria-label={strings.chooseReaction}
      onKeyDown={(event) => {
        const first = found[0];
        if (event.key === 'Escape') close();
        else if (event.key === 'Enter' && event.target instanceof HTMLInputElement && first) choose(first);
        else return;
        event.preventDefault();
        // Escape closes the picker, not the panel.
        event.stopPropagation();
      }}
    >
      <SearchField label={strings.searchEmoji} value={query} onInput={setQuery} />
      {found.length === 0 ? (
        <p class="picker-empty">{strings.noEmoji}</p>
      ) : (
        <div class="emoji-grid">
          {found.map((emoji) => (
            <button
              key={emoji}
              type="button"
              class="emoji"
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
