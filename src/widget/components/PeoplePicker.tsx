// Starting a conversation: search the people the user may message, pick one for a direct message or
// several for a group (with an optional name), and open it.
import { useState } from 'preact/hooks';
import type { User } from '../../protocol/models.ts';
import { type Request, usePresence, useRequest, useWidget } from '../state.ts';
import { Avatar } from './Avatar.tsx';
import { Icon } from './Icon.tsx';
import { PanelHeader } from './PanelHeader.tsx';
import { SearchField } from './SearchField.tsx';

export function PeoplePicker() {
  const { session, strings, go } = useWidget();
  const [people, reload] = useRequest(() => session.people());
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [groupName, setGroupName] = useState('');
  const [error, setError] = useState('');
  const [starting, setStarting] = useState(false);

  const toggle = (id: string) =>
    setSelected((ids) => (ids.includes(id) ? ids.filter((other) => other !== id) : [...ids, id]));
  const start = () => {
    setStarting(true);
    setError('');
    session.startConversation(selected, groupName.trim()).then(
      (conversationId) => go({ view: 'thread', conversationId }),
      (failure: Error) => {
        setStarting(false);
        setError(strings.actionFailed(failure.message));
      },
    );
  };

  const needle = query.trim().toLowerCase();
  const matches =
    people.state === 'done'
      ? people.value.filter((person) =>
          `${person.displayName} ${person.email ?? ''}`.toLowerCase().includes(needle),
        )
      : [];

  return (
    <section class="view" aria-labelledby="parley-people-title">
      <PanelHeader
        titleId="parley-people-title"
        title={strings.newConversation}
        onBack={() => go({ view: 'list' })}
      />
      <div class="toolbar">
        <SearchField label={strings.searchPeople} value={query} onInput={setQuery} autofocus />
      </div>
      <div class="scroll">
        {people.state === 'loading' && <p class="notice">{strings.loading}</p>}
        <PeopleNotice people={people} matches={matches.length} reload={reload} />
        <ul class="people">
          {matches.map((person) => (
            <Person
              key={person.id}
              person={person}
              selected={selected.includes(person.id)}
              onToggle={toggle}
            />
          ))}
        </ul>
      </div>
      {selected.length > 0 && (
        <footer class="footer stack">
          {selected.length > 1 && (
            <label class="field">
              <span class="visually-hidden">{strings.groupName}</span>
              <input
                type="text"
                placeholder={strings.groupName}
                value={groupName}
                maxLength={80}
                onInput={(event) => setGroupName(event.currentTarget.value)}
              />
            </label>
          )}
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <button type="button" class="button primary wide" disabled={starting} onClick={start}>
            {selected.length > 1 ? strings.startGroup(selected.length) : strings.startChat}
          </button>
        </footer>
      )}
    </section>
  );
}

/** One person to pick, with their presence; pressed while picked. */
/** Why the list of people shows nobody: it could not load (with a retry), or nobody matches. */
export function PeopleNotice({
  people,
  matches,
  reload,
}: {
  people: Request<unknown>;
  matches: number;
  reload: () => void;
}) {
  const { strings } = useWidget();
  if (people.state === 'failed')
    return (
      <p class="notice">
        {strings.cannotLoadPeople}{' '}
        <button type="button" class="link-button" onClick={reload}>
          {strings.tryAgain}
        </button>
      </p>
    );
  return people.state === 'done' && matches === 0 ? <p class="notice">{strings.noPeople}</p> : null;
}

export function Person({
  person,
  selected,
  onToggle,
}: {
  person: User;
  selected: boolean;
  onToggle: (id: string) => void;
}) {
  const presence = usePresence(person.id);
  return (
    <li>
      <button type="button" class="person" aria-pressed={selected} onClick={() => onToggle(person.id)}>
        <Avatar id={person.id} name={person.displayName} presence={presence?.status} />
        <span class="person-text">
          <span class="person-name">{person.displayName}</span>
          <span class="person-detail">{person.email ?? person.role}</span>
        </span>
        <span class="check" aria-hidden="true">
          {selected && <Icon name="check" size={14} />}
        </span>
      </button>
    </li>
  );
}
