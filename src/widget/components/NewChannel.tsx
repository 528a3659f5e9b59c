// Creating a channel (internal staff above viewer): its name, whom it admits, public or private, and the
// people invited at once. The server decides; its refusal is shown as it words it.
import { useState } from 'preact/hooks';
import type { ChannelPolicy } from '../../protocol/models.ts';
import { useWidget } from '../state.ts';
import { PanelHeader } from './PanelHeader.tsx';
import { PeopleChooser } from './PeopleChooser.tsx';

type Admission = 'shared' | 'team' | 'admins';

/** Channel names as the server keeps them: typed spaces become dashes, capitals lowercase. */
const channelName = (typed: string) => typed.replace(/\s+/g, '-').toLowerCase();

/** A channel's name, typed as the server keeps it; with its rules spelled out when `hint` is set. */
export function ChannelNameField({
  value,
  onChange,
  hint = false,
}: {
  value: string;
  onChange: (name: string) => void;
  hint?: boolean;
}) {
  const { strings } = useWidget();
  return (
    <label class="field">
      <span class="field-label">{strings.channelName}</span>
      <input
        type="text"
        required
        maxLength={80}
        value={value}
        {...(hint ? { 'data-autofocus': '', 'aria-describedby': 'parley-channel-name-hint' } : {})}
        onInput={(event) => onChange(channelName(event.currentTarget.value))}
      />
      {hint && (
        <span id="parley-channel-name-hint" class="field-hint">
          {strings.channelNameHint}
        </span>
      )}
    </label>
  );
}

export function NewChannel() {
  const { session, strings, go } = useWidget();
  const [name, setName] = useState('');
  const [admission, setAdmission] = useState<Admission>('shared');
  const [visibility, setVisibility] = useState<ChannelPolicy['visibility']>('public');
  const [memberIds, setMemberIds] = useState<string[]>([]);
  const [error, setError] = useState('');
  const [creating, setCreating] = useState(false);
  const me = session.client.me;

  const create = (event: Event) => {
    event.preventDefault();
    if (!me) return;
    setCreating(true);
    setError('');
    // Left out, the organisations are those of the creator and the people invited.
    const orgIds = admission === 'shared' ? {} : { orgIds: [me.orgId] };
    const minRole = admission === 'admins' ? 'admin' : 'viewer';
    session.client.channelManagement
      .createChannel({ name, memberIds, policy: { ...orgIds, minRole, visibility } })
      .then(
        (channel) => go({ view: 'thread', conversationId: channel.id }),
        (failure: Error) => {
          setCreating(false);
          setError(strings.actionFailed(failure.message));
        },
      );
  };
  const choice = <T extends string>(
    group: string,
    value: T,
    current: T,
    set: (v: T) => void,
    label: string,
  ) => (
    <label class="choice">
      <input type="radio" name={group} checked={value === current} onChange={() => set(value)} />
      {label}
    </label>
  );

  return (
    <section class="view" aria-labelledby="parley-new-channel-title">
      <PanelHeader
        titleId="parley-new-channel-title"
        title={strings.newChannel}
        onBack={() => go({ view: 'channels' })}
      />
      <form class="scroll settings" onSubmit={create}>
        <ChannelNameField value={name} onChange={setName} hint />
        <fieldset>
          <legend>{strings.whoMayJoin}</legend>
          {choice('admission', 'shared', admission, setAdmission, strings.admitShared)}
          {choice('admission', 'team', admission, setAdmission, strings.admitTeam)}
          {choice('admission', 'admins', admission, setAdmission, strings.admitAdmins)}
        </fieldset>
        <fieldset>
          <legend>{strings.visibility}</legend>
          {choice('visibility', 'public', visibility, setVisibility, strings.publicChannel)}
          {choice('visibility', 'private', visibility, setVisibility, strings.privateChannelHint)}
        </fieldset>
        <fieldset>
          <legend>{strings.invitePeople}</legend>
          <PeopleChooser selected={memberIds} onChange={setMemberIds} />
        </fieldset>
        <div class="settings-actions">
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="button primary wide" disabled={creating || !me || !name}>
            {strings.createChannel}
          </button>
        </div>
      </form>
    </section>
  );
}
