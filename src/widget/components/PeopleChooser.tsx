// Picking several people to add to a channel: the people the user may message, searchable, minus those
// already in; each is a toggle.
import { useState } from 'preact/hooks';
import { useRequest, useWidget } from '../state.ts';
import { PeopleNotice, Person } from './PeoplePicker.tsx';
import { SearchField } from './SearchField.tsx';

export function PeopleChooser({
  selected,
  onChange,
  exclude = [],
}: {
  selected: string[];
  onChange: (ids: string[]) => void;
  exclude?: readonly string[];
}) {
  const { session, strings } = useWidget();
  const [people, reload] = useRequest(() => session.people());
  const [query, setQuery] = useState('');
  const needle = query.trim().toLowerCase();
  const matches =
    people.state === 'done'
      ? people.value.filter(
          (person) =>
            !exclude.includes(person.id) &&
            `${person.displayName} ${person.email ?? ''}`.toLowerCase().includes(needle),
        )
      : [];
  const toggle = (id: string) =>
    onChange(selected.includes(id) ? selected.filter((other) => other !== id) : [...selected, id]);
  return (
    <div class="chooser">
      <SearchField label={strings.searchPeople} value={query} onInput={setQuery} />
      <PeopleNotice people={people} matches={matches.length} reload={reload} />
      <ul class="people">
        {matches.map((person) => (
          <Person key={person.id} person={person} selected={selected.includes(person.id)} onToggle={toggle} />
        ))}
      </ul>
    </div>
  );
}
