// What a benchmark needs of a server under test, whichever it is: start it, give it users in rooms, say
// how a send is worded, name the processes whose CPU it spends, and stop it.
import type { ChildServer } from '../lib/child-server.ts';
import type { Layout } from './layout.ts';

/** `parley-redis`: one node on PostgreSQL with Redis; `parley-3-nodes`: three, the users spread over them. */
export const targetNames = [
  'bare',
  'parley-postgres',
  'parley-pglite',
  'parley-redis',
  'parley-3-nodes',
] as const;
export type TargetName = (typeof targetNames)[number];

export interface Cast {
  /** Each user's Socket.IO `auth`, by user index. */
  handshakes: object[];
  /** Each room's id on the server and its members by user index; the first member made it. */
  rooms: { id: string; members: number[] }[];
}

export interface Target {
  name: TargetName;
  /** The node casts go through. */
  server: ChildServer;
  /** Every node serving sockets (the server alone, or several); user `i` connects to `nodes[i % length]`. */
  nodes: ChildServer[];
  /** Makes the users and rooms on the server (on Parley through its own API). */
  cast: (layout: Layout) => Promise<Cast>;
  /** The `message:send` payload for one message. */
  sendPayload: (roomId: string, clientMsgId: string, body: string) => object;
  /** Processes besides the server whose CPU it spends on its work: PostgreSQL's, where it has them. */
  helperPids: () => Promise<number[]>;
  stop: () => Promise<void>;
}
