// The channels the user may see: open the ones they are in, join the public ones they are not.
import { useState } from 'preact/hooks';
import { mayCreateChannel } from '../../protocol/channel-rights.ts';
import type { ChannelListing } from '../../protocol/models.ts';
import { useRequest, useWidget } from '../state.ts';
import { Avatar } from './Avatar.tsx';
import { Icon } from './Icon.tsx';
import { IconButton } from './IconButton.tsx';
import { PanelHeader } from './PanelHeader.tsx';

export function ChannelBrowser() {
  const { session, strings, go } = useWidget();
  const [channels, reload] = useRequest(() => session.channels());
  const [error, setError] = useState('');
  const [joining, setJoining] = useState<string | null>(null);

  const open = (channel: ChannelListing) => {
    if (channel.isMember) return go({ view: 'thread', conversationId: channel.id });
    setJoining(channel.id);
    setError('');
    session.joinChannel(channel.id).then(
      (conversationId) => go({ view: 'thread', conversationId }),
      (failure: Error) => {
        setJoining(null);
        setError(strings.actionFailed(failure.message));
      },
    );
  };

  return (
    <section class="view" aria-labelledby="parley-channels-title">
      <PanelHeader
        titleId="parley-channels-title"
        title={strings.channels}
        onBack={() => go({ view: 'list' })}
        actions={
          session.client.me &&
          mayCreateChannel(session.client.me) && (
            <IconButton
              icon="compose"
              label={strings.newChannel}
              onClick={() => go({ view: 'new-channel' })}
            />
          )
        }
      />
      {error && (
        <p class="error banner-error" role="alert">
          {error}
        </p>
      )}
      <div class="scroll">
        {channels.state === 'loading' && <p class="notice">{strings.loading}</p>}
        {channels.state === 'failed' && (
          <p class="notice">
            {strings.cannotLoadChannels}{' '}
            <button type="button" class="link-button" onClick={reload}>
              {strings.tryAgain}
            </button>
          </p>
        )}
        {channels.state === 'done' && channels.value.length === 0 && (
          <p class="notice">{strings.noChannels}</p>
        )}
        {channels.state === 'done' && (
          <ul class="channels">
            {channels.value.map((channel) => (
              <li key={channel.id} class="channel-item">
                <Avatar id={channel.id} name={channel.name} channel />
                <span class="channel-text">
                  <span class="channel-name">
                    #{channel.name}
                    {channel.policy.visibility === 'private' && (
                      <span class="tag">
                        <Icon name="lock" size={12} />
                        {strings.privateChannel}
                      </span>
                    )}
                    {channel.archivedAt && <span class="tag">{strings.archivedLabel}</span>}
                  </span>
                  <span class="channel-detail">{strings.members(channel.memberCount)}</span>
                </span>
                <button
                  type="button"
                  class={`button small${channel.isMember ? ' ghost' : ' primary'}`}
                  aria-label={`${channel.isMember ? strings.openChannel : strings.join} #${channel.name}`}
                  disabled={joining !== null || (!channel.isMember && channel.archivedAt !== null)}
                  onClick={() => open(channel)}
                >
                  {channel.isMember ? strings.openChannel : strings.join}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
