// The people a mention being typed may mean, and `@channel` or `@here` with whom they notify, as a listbox
// the composer's text box drives: the box keeps focus and points at the active option with
// aria-activedescendant; a pointer chooses without taking focus.
import type { MentionOption } from '../mentions.ts';
import { useWidget } from '../state.ts';

export const MENTION_LIST_ID = 'parley-mentions';
export const mentionOptionId = (index: number) => `${MENTION_LIST_ID}-${index}`;

export interface MentionListProps {
  options: readonly MentionOption[];
  active: number;
  choose: (option: MentionOption) => void;
  /** How many members besides the user the conversation has, for the hint of `@channel`. */
  others: number;
}

export function MentionList({ options, active, choose, others }: MentionListProps) {
  const { strings } = useWidget();
  return (
    <div class="mentions" id={MENTION_LIST_ID} role="listbox" aria-label={strings.mentionSuggestions}>
      {options.map((option, index) => (
        <div
          key={'person' in option ? option.person.id : option.broadcast}
          id={mentionOptionId(index)}
          role="option"
          tabIndex={-1}
          aria-selected={index === active}
          onMouseDown={(event) => {
            event.preventDefault();
            choose(option);
          }}
        >
          {'person' in option ? (
            option.person.displayName
          ) : (
            <>
              @{option.broadcast}
              <span class="mention-hint">{strings.broadcastHint(option.broadcast, others)}</span>
            </>
          )}
        </div>
      ))}
    </div>
  );
}
