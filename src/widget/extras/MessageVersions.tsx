// The texts an edited message had before, for its author and internal admins: the current one first, then
// each earlier one with when it was written and when an edit replaced it, newest first, in a modal
// <dialog> that Esc or its close button closes, giving focus back to the "(edited)" that opened it.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MessageVersion } from '../../protocol/message-actions.ts';
import type { Message } from '../../protocol/models.ts';
import { Icon } from '../components/Icon.tsx';
import { Markdown } from '../components/Markdown.tsx';
import { useWidget } from '../state.ts';

export function MessageVersions({ message, close }: { message: Message; close: () => void }) {
  const { session, strings, time } = useWidget();
  const [versions, setVersions] = useState<MessageVersion[] | null>(null);
  const [error, setError] = useState('');
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => dialog.current?.showModal(), []);
  useEffect(() => {
    let current = true;
    session.client.messageActions.versions(message.id).then(
      (earlier) => current && setVersions([...earlier].reverse()),
      (failure: Error) => current && setError(strings.actionFailed(failure.message)),
    );
    return () => {
      current = false;
    };
  }, [message.id, message.editedAt]);

  return (
    <dialog
      ref={dialog}
      class="versions"
      aria-labelledby="parley-versions-title"
      onClose={close}
      onKeyDown={(event) => {
        // Esc closes the versions, not the panel behind them.
        if (event.key !== 'Escape') return;
        event.preventDefault();
        event.stopPropagation();
        dialog.current?.close();
      }}
    >
      <div class="versions-head">
        <h3 id="parley-versions-title">{strings.earlierVersions}</h3>
        <button
          type="button"
          class="icon-button"
          aria-label={strings.close}
          onClick={() => dialog.current?.close()}
        >
          <Icon name="close" size={18} />
        </button>
      </div>
      <ol class="versions-list">
        <li>
          <p class="version-time">{strings.currentVersion}</p>
          <Markdown text={message.body} />
        </li>
        {versions?.map((version) => (
          <li key={version.version}>
            <p class="version-time">
              {strings.versionTimes(time.exact(version.writtenAt), time.exact(version.replacedAt))}
            </p>
            <Markdown text={version.body} />
          </li>
        ))}
      </ol>
      {!versions && (
        <p class="notice extra-state" role={error ? 'alert' : 'status'}>
          {error || strings.loading}
        </p>
      )}
    </dialog>
  );
}
