// The first row of a thread: "Load earlier messages" while there are more, else where the conversation began.
import type { ConversationKind } from '../../protocol/models.ts';
import { useWidget } from '../state.ts';
import { Icon } from './Icon.tsx';

export interface ThreadTopProps {
  hasMore: boolean;
  loading: boolean;
  title: string;
  kind: ConversationKind;
  onLoad: () => void;
}

export function ThreadTop({ hasMore, loading, title, kind, onLoad }: ThreadTopProps) {
  const { strings } = useWidget();
  if (!hasMore) {
    return (
      <div class="thread-start">
        <span class="empty-icon">
          <Icon name={kind === 'channel' ? 'hash' : kind === 'record' ? 'record' : 'chat'} size={24} />
        </span>
        <p class="empty-title">{title}</p>
        <p>{strings.beginning(title, kind)}</p>
      </div>
    );
  }
  return (
    <div class="thread-more">
      <button type="button" class="button ghost small" disabled={loading} onClick={onLoad}>
        {loading ? strings.loading : strings.loadEarlier}
      </button>
    </div>
  );
}
