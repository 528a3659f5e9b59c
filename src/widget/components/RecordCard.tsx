// A record thread's context card, under its header: the record's status first, the other facts the host set
// (two lines at most until a tap shows them all), and a link back to the record that is never cut off.
import { useState } from 'preact/hooks';
import type { RecordInfo } from '../../protocol/models.ts';
import { safeUrl } from '../markdown.ts';
import { useWidget } from '../state.ts';
import { Icon } from './Icon.tsx';

/** The host's status fact, whatever its case: `Status`, `status`. */
const STATUS_KEY = /^status$/i;

export function RecordCard({ record }: { record: RecordInfo }) {
  const { strings } = useWidget();
  const [expanded, setExpanded] = useState(false);
  const href = record.url ? safeUrl(record.url) : null;
  const shown = Object.entries(record.context).filter(([, value]) => value !== null && value !== '');
  const status = shown.find(([key]) => STATUS_KEY.test(key));
  const facts = shown
    .filter((fact) => fact !== status)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(' · ');
  return (
    <div class="record-card">
      <button
        type="button"
        class="record-facts"
        aria-expanded={expanded}
        title={facts}
        onClick={() => setExpanded(!expanded)}
      >
        {status && (
          <span class="record-status">
            <span class="visually-hidden">{status[0]}: </span>
            {String(status[1])}
          </span>
        )}
        {record.status === 'closed' && <span class="record-status closed">{strings.recordClosed}</span>}
        {facts}
      </button>
      {href && (
        <a class="record-open" href={href} target="_blank" rel="noopener noreferrer nofollow">
          {strings.openRecord}
          <Icon name="external" size={14} />
        </a>
      )}
    </div>
  );
}
