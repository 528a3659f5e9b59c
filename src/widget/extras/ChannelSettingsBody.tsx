// What a channel's settings show under their header (components/ChannelSettings.tsx): whom it admits, its
// members with organisation and role, and, as the server allows this user, inviting, removing, renaming,
// archiving and leaving. The member list is fetched again whenever the channel changes, so that other
// people's changes show live.
import { useEffect, useState } from 'preact/hooks';
import type { ChannelMembersResponse } from '../../protocol/channel-members.ts';
import type { Conversation } from '../../protocol/models.ts';
import { Avatar } from '../components/Avatar.tsx';
import { ChannelNameField } from '../components/NewChannel.tsx';
import { PeopleChooser } from '../components/PeopleChooser.tsx';
import { useWidget } from '../state.ts';

export function ChannelSettingsBody({ conversation }: { conversation: Conversation }) {
  const { session, strings, go } = useWidget();
  const manage = session.client.channelManagement;
  const conversationId = conversation.id;
  const [info, setInfo] = useState<ChannelMembersResponse | null>(null);
  const [error, setError] = useState('');
  const [name, setName] = useState(conversation.name ?? '');
  const [inviting, setInviting] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    manage.members(conversationId).then(
      (answer) => current && setInfo(answer),
      (failure: Error) => current && setError(strings.actionFailed(failure.message)),
    );
    return () => {
      current = false;
    };
  }, [conversationId, conversation.updatedAt, conversation.memberCount]);
  useEffect(() => setName(conversation.name ?? ''), [conversation.name]);

  const act = (action: () => Promise<unknown>, then?: () => void) => {
    setBusy(true);
    setError('');
    action().then(
      () => {
        setBusy(false);
        then?.();
      },
      (failure: Error) => {
        setBusy(false);
        setError(strings.actionFailed(failure.message));
      },
    );
  };
  const orgName = (orgId: string) => conversation.audience?.find((org) => org.id === orgId)?.name ?? orgId;
  const policy = conversation.policy;
  const archived = conversation.archivedAt !== null;

  return (
    <div class="scroll settings">
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {policy && (
        <p class="field-hint">
          {strings.admits(policy.orgIds.map(orgName).join(', '), policy.minRole)} ·{' '}
          {policy.visibility === 'private' ? strings.privateChannel : strings.publicLabel}
          {archived && ` · ${strings.archivedLabel}`}
        </p>
      )}
      {info?.mayManage && (
        <form
          class="rename"
          onSubmit={(event) => {
            event.preventDefault();
            act(() => manage.rename(conversationId, name));
          }}
        >
          <ChannelNameField value={name} onChange={setName} />
          <button type="submit" class="button small ghost" disabled={busy || name === conversation.name}>
            {strings.rename}
          </button>
        </form>
      )}
      <h3 class="section-title">{strings.members(info?.members.length ?? conversation.memberCount)}</h3>
      {info?.mayInvite &&
        (inviting ? (
          <div class="invite">
            <PeopleChooser
              selected={inviting}
              onChange={setInviting}
              exclude={info.members.map((member) => member.id)}
            />
            <div class="settings-actions row-actions">
              <button type="button" class="button small ghost" onClick={() => setInviting(null)}>
                {strings.notNow}
              </button>
              <button
                type="button"
                class="button small primary"
                disabled={busy || inviting.length === 0}
                onClick={() =>
                  act(
                    () => manage.addMembers(conversationId, inviting),
                    () => setInviting(null),
                  )
                }
              >
                {strings.addSelected(inviting.length)}
              </button>
            </div>
          </div>
        ) : (
          <button type="button" class="button small ghost" onClick={() => setInviting([])}>
            {strings.addPeople}
          </button>
        ))}
      <ul class="people members">
        {info?.members.map((member) => (
          <li key={member.id} class="member">
            <Avatar id={member.id} name={member.displayName} />
            <span class="person-text">
              <span class="person-name">
                {member.displayName}
                {member.id === session.userId && strings.youSuffix}
                {member.id === info.createdBy && <span class="tag">{strings.creator}</span>}
              </span>
              <span class="person-detail">{strings.memberDetail(orgName(member.orgId), member.role)}</span>
            </span>
            {info.mayManage && member.id !== session.userId && (
              <button
                type="button"
                class="button small ghost"
                aria-label={strings.removeMember(member.displayName)}
                disabled={busy}
                onClick={() => act(() => manage.removeMember(conversationId, member.id))}
              >
                {strings.remove}
              </button>
            )}
          </li>
        ))}
      </ul>
      <div class="settings-actions">
        {info?.mayManage && (
          <button
            type="button"
            class="button ghost wide"
            disabled={busy}
            onClick={() => act(() => manage.archive(conversationId, !archived))}
          >
            {archived ? strings.unarchive : strings.archive}
          </button>
        )}
        <button
          type="button"
          class="button ghost wide danger"
          disabled={busy}
          onClick={() =>
            act(
              () => manage.leave(conversationId),
              () => go({ view: 'list' }),
            )
          }
        >
          {strings.leave}
        </button>
      </div>
    </div>
  );
}
