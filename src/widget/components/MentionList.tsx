// The people a mention being typed may mean, as a listbox the composer's text box drives: the box keeps
// focus and points at the active option with aria-activedescendant; a pointer chooses without taking focus.
import type { Reader } from '../readers.ts';
import { useWidget } from '../state.ts';

export const MENTION_LIST_ID = 'parley-mentions';
export const mentionOptionId = (index: number) => `${MENTION_LIST_ID}-${index}`;

export interface MentionListProps {
  members: readonly Reader[];
  active: number;
  choose: (member: Reader) => void;
}

export function MentionList({ members, active, choose }: MentionListProps) {
  const { strings } = useWidget();
  return (
    <div class="mentions" id={MENTION_LIST_ID} role="listbox" aria-label={strings.mentionSuggestions}>
      {members.map((member, index) => (
        <div
          key={member.id}
          id={mentionOptionId(index)}
          role="option"
          tabIndex={-1}
          aria-selected={index === active}
          onMouseDown={(event) => {
            event.preventDefault();
            choose(member);
          }}
        >
          {member.displayName}
        </div>
      ))}
    </div>
  );
}
