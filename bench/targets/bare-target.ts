// The bare broadcast server (bare-server.ts) as a benchmark target: its rooms are only names.
import { startChildServer } from '../lib/child-server.ts';
import { repoRoot } from '../lib/paths.ts';
import { type Layout, roomMembers } from './layout.ts';
import type { Cast, Target } from './target.ts';

export async function startBareTarget(): Promise<Target> {
  const server = await startChildServer({
    name: 'bare',
    args: ['--import', 'tsx', 'bench/targets/bare-server.ts'],
    env: { PATH: process.env.PATH ?? '' },
    cwd: repoRoot,
  });
  return {
    name: 'bare',
    server,
    nodes: [server],
    async cast(layout: Layout): Promise<Cast> {
      const rooms = Array.from({ length: layout.rooms }, (_, r) => ({
        id: `room-${r}`,
        members: roomMembers(layout, r),
      }));
      const handshakes = Array.from({ length: layout.sockets }, (_, user) => ({
        userId: `user-${user}`,
        rooms: rooms.filter((room) => room.members.includes(user)).map((room) => room.id),
      }));
      return { handshakes, rooms };
    },
    sendPayload: (room, clientMsgId, body) => ({ room, clientMsgId, body }),
    helperPids: async () => [],
    stop: server.stop,
  };
}
