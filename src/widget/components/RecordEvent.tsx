// A line the host's back-end posted about the record ("Order 1234 shipped"): centred and set apart from
// what people wrote, with its time.
import type { ThreadMessage } from '../rows.ts';
import { useWidget } from '../state.ts';
import { Markdown } from './Markdown.tsx';

export function RecordEvent({ message, now }: { message: ThreadMessage; now: number }) {
  const { time } = useWidget();
  return (
    <div class="event">
      <div>
        <Markdown text={message.body} />
      </div>
      <time dateTime={message.createdAt} title={time.exact(message.createdAt)}>
        {time.messageTime(message.createdAt, now)}
      </time>
    </div>
  );
}
