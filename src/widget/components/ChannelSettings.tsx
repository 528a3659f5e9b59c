// A channel's settings, opened from its header: the header with the way back is here, so that it works
// while the rest (extras/ChannelSettingsBody.tsx, in the extras chunk) loads or if it cannot.
import { useConversation, useWidget } from '../state.ts';
import { Extra } from './Extra.tsx';
import { PanelHeader } from './PanelHeader.tsx';

export function ChannelSettings({ conversationId }: { conversationId: string }) {
  const { strings, go } = useWidget();
  const conversation = useConversation(conversationId);
  return (
    <section class="view" aria-labelledby="parley-settings-title">
      {conversation ? (
        <>
          <PanelHeader
            titleId="parley-settings-title"
            title={`#${conversation.name}`}
            subtitle={strings.channelSettings}
            onBack={() => go({ view: 'thread', conversationId })}
          />
          <Extra part="ChannelSettingsBody" props={{ conversation }} />
        </>
      ) : (
        <>
          <PanelHeader
            titleId="parley-settings-title"
            title={strings.channelSettings}
            onBack={() => go({ view: 'list' })}
          />
          <p class="notice">{strings.notFound}</p>
        </>
      )}
    </section>
  );
}
