// Initials on a colour derived from the id (a person keeps theirs everywhere), with an optional presence dot.
import type { PresenceStatus } from '../../protocol/models.ts';
import { hueOf, initials } from '../format.ts';
import { Icon } from './Icon.tsx';

export interface AvatarProps {
  id: string;
  name: string;
  /** Channels show a # instead of initials. */
  channel?: boolean;
  presence?: PresenceStatus | undefined;
  small?: boolean;
}

export function Avatar({ id, name, channel, presence, small }: AvatarProps) {
  return (
    <span
      class={`avatar${small ? ' small' : ''}${channel ? ' channel' : ''}`}
      style={`--hue:${hueOf(id)}`}
      aria-hidden="true"
    >
      {channel ? <Icon name="hash" size={small ? 14 : 18} /> : initials(name)}
      {presence && <span class={`presence ${presence}`} />}
    </span>
  );
}
