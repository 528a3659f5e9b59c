// What a benchmark needs of a server under test, whichever it is: start it, give it users in rooms, say
// how a send is worded, name the processes whose CPU it spends, and stop it.
import type { ChildServer } from '../lib/child-server.ts';
import type { Layout } from './layout.ts';

export const targetNames = ['bare', 'parley-postgres', 'parley-pglite'] as const;
export type TargetName = (typeof targetNames)[number];

export interface Cast {
  /** Each user's Socket.IO `auth`, by user index. */
  handshakes: object[];
  /** Each room's id on the server and its members by user index; the first member made it. */
  rooms: { id: string; members: number[] }[];
}

export interface Target {
  name: TargetName;
  server: ChildServer;
  /** Makes the users and rooms on the server (on Parley through its own API). */
  cast: (layout: Layout) => Promise<Cast>;
  /** The `message:send` payload for one message. */
  sendPayload: (roomId: string, clientMsgId: string, body: string) => object;
  /** Processes besides the server whose CPU it spends on its work: PostgreSQL's, where it has them. */
  helperPids: () => Promise<number[]>;
  stop: () => Promise<void>;
}
