// Initials on a colour derived from the id (a person keeps theirs everywhere), an icon for a channel or a
// record thread, with an optional presence dot that says what it shows.

import { hueOf, initials } from '../format.ts';
import type { ShownPresence } from '../state.ts';
import { useWidget } from '../state.ts';
import { Icon } from './Icon.tsx';

export interface AvatarProps {
  id: string;
  name: string;
  /** Channels show a # instead of initials. */
  channel?: boolean;
  /** Record threads show a document: their titles ("Order #1234") make no initials. */
  record?: boolean;
  presence?: ShownPresence | undefined;
  small?: boolean;
}

export function Avatar({ id, name, channel, record, presence, small }: AvatarProps) {
  const { strings } = useWidget();
  const icon = channel ? 'hash' : record ? 'record' : null;
  const label =
    presence &&
    {
      online: strings.online,
      away: strings.away,
      offline: strings.presenceOffline,
      unknown: strings.presenceUnknown,
    }[presence];
  return (
    <span
      class={`avatar${small ? ' small' : ''}${channel ? ' channel' : ''}${record ? ' record' : ''}`}
      style={`--hue:${hueOf(id)}`}
    >
      <span aria-hidden="true">{icon ? <Icon name={icon} size={small ? 14 : 18} /> : initials(name)}</span>
      {presence && <span class={`presence ${presence}`} role="img" aria-label={label} title={label} />}
    </span>
  );
}
