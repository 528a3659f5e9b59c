// How the benchmark's users sit in rooms, from the command line: N users with one socket each in R rooms
// of S members, the same on every target.
import { OptionError, positiveInteger } from '../lib/options.ts';

/** N users with one socket each, in R rooms of S members (a user may be in several when R × S > N). */
export interface Layout {
  sockets: number;
  rooms: number;
  roomSize: number;
}

/** The options every scenario with sockets in rooms takes, for `parseArgs`. */
export const layoutOptions = {
  sockets: { type: 'string' },
  rooms: { type: 'string' },
  'room-size': { type: 'string' },
} as const;

/** A checked layout from the options; rooms default to as many as it takes to seat everyone once. */
export function parseLayout(
  values: { sockets?: string; rooms?: string; 'room-size'?: string },
  defaults: { sockets: number; roomSize: number },
): Layout {
  const sockets = positiveInteger('sockets', values.sockets, defaults.sockets);
  const roomSize = positiveInteger('room-size', values['room-size'], defaults.roomSize);
  const layout = {
    sockets,
    roomSize,
    rooms: positiveInteger('rooms', values.rooms, Math.ceil(sockets / roomSize)),
  };
  checkLayout(layout);
  return layout;
}

/** Members of room r: S consecutive users from r × S on, wrapping around, so every user is in a room. */
export function roomMembers(layout: Layout, room: number): number[] {
  return Array.from({ length: layout.roomSize }, (_, k) => (room * layout.roomSize + k) % layout.sockets);
}

export function checkLayout(layout: Layout): void {
  if (layout.roomSize < 2) throw new OptionError('a room needs at least 2 members: a sender and a recipient');
  if (layout.roomSize > layout.sockets)
    throw new OptionError('a room cannot have more members than there are sockets');
  if (layout.roomSize > 50) throw new OptionError('Parley groups have at most 50 members');
  if (layout.rooms * layout.roomSize < layout.sockets)
    throw new OptionError('some sockets would be in no room');
}
