// The open conversation's header: back to the list, who or what it is (presence for a DM, members
// otherwise), the record's dossier export, and the mute switch. A record's context card goes under it.
import type { Conversation, RecordInfo } from '../../protocol/models.ts';
import type { TimeFormat } from '../format.ts';
import { otherMembers } from '../format.ts';
import { type ShownPresence, useShownPresence, useWidget } from '../state.ts';
import type { Strings } from '../strings.ts';
import { Avatar } from './Avatar.tsx';
import { IconButton } from './IconButton.tsx';
import { PanelHeader } from './PanelHeader.tsx';

export function ThreadHeader({
  title,
  conversation,
}: {
  title: string;
  conversation: Conversation | undefined;
}) {
  const { session, strings, time, toast, go } = useWidget();
  const other = conversation?.kind === 'direct' ? otherMembers(conversation, session.userId)[0] : undefined;
  const presence = useShownPresence(other?.id);
  const toggleMute = () => {
    if (!conversation) return;
    session
      .setMuted(conversation.id, !conversation.muted)
      .catch((error: Error) => toast.set(strings.actionFailed(error.message)));
  };
  // A record thread's facts and link need the panel's whole width: the thread shows its card under this.
  const subtitle =
    !conversation || conversation.record
      ? undefined
      : other
        ? presenceText(presence.status, presence.lastSeenAt, strings, time)
        : strings.members(conversation.memberCount);
  return (
    <PanelHeader
      titleId="parley-thread-title"
      title={title}
      subtitle={subtitle}
      onBack={() => go({ view: 'list' })}
      leading={
        conversation && (
          <Avatar
            id={other?.id ?? conversation.id}
            name={title}
            channel={conversation.kind === 'channel'}
            record={conversation.kind === 'record'}
            presence={other ? presence.status : undefined}
            small
          />
        )
      }
      actions={
        conversation && (
          <>
            <IconButton
              icon="search"
              label={strings.searchIn(title)}
              onClick={() =>
                go({
                  view: 'list',
                  within: {
                    conversationId: conversation.id,
                    title,
                    record: conversation.record && {
                      type: conversation.record.type,
                      id: conversation.record.id,
                    },
                  },
                })
              }
            />
            {conversation.record && <ExportButton record={conversation.record} />}
            {conversation.kind === 'channel' && (
              <IconButton
                icon="people"
                label={strings.channelSettings}
                onClick={() => go({ view: 'channel-settings', conversationId: conversation.id })}
              />
            )}
            <IconButton
              icon={conversation.muted ? 'bellOff' : 'bell'}
              label={strings.mute}
              title={conversation.muted ? strings.unmute : strings.mute}
              pressed={conversation.muted}
              onClick={toggleMute}
            />
          </>
        )
      }
    />
  );
}

function presenceText(
  status: ShownPresence,
  lastSeenAt: string | null,
  strings: Strings,
  time: TimeFormat,
): string {
  if (status === 'unknown') return strings.presenceUnknown;
  if (status === 'online') return strings.online;
  if (status === 'away') return strings.away;
  return lastSeenAt ? strings.lastSeen(time.ago(lastSeenAt, Date.now())) : strings.presenceOffline;
}

/**
 * Opens the record's dossier (what this user may see of its thread) as a printable page in a new tab. The tab
 * is opened during the click, before the export arrives, or the browser would block it as a pop-up.
 */
function ExportButton({ record }: { record: RecordInfo }) {
  const { session, strings, toast } = useWidget();
  const exportDossier = () => {
    const tab = window.open('', '_blank');
    session.client.exportRecord(record.type, record.id, 'html').then(
      (html) => {
        const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
        if (tab) tab.location.href = url;
        else saveAs(url, `${record.type}-${record.id}-dossier.html`);
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      },
      (error: Error) => {
        tab?.close();
        toast.set(strings.actionFailed(error.message));
      },
    );
  };
  return <IconButton icon="download" label={strings.exportRecord} onClick={exportDossier} />;
}

/** Where pop-ups are blocked, the page is downloaded instead. */
function saveAs(url: string, filename: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
}
