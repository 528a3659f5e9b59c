// Fan-out over Socket.IO rooms: one room per conversation, one per user (all of their sockets).
import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol/events.ts';
import { conversationRoom, type FanOut, userRoom } from './fanout.ts';

export type ParleySocketServer = Server<ClientToServerEvents, ServerToClientEvents>;

/** The typed emit cannot follow a generic event name; the FanOut signature keeps callers type-checked. */
type Emit = (event: string, payload: unknown) => void;

export function socketIoFanOut(io: ParleySocketServer): FanOut {
  /**
   * Applies a room change to the users' sockets on this node at once, and on the other nodes through the
   * adapter. Across nodes the adapter only publishes the change, this node's included, which would apply it
   * only once it came back from Redis — after the broadcast that follows (the first message of a
   * conversation would miss its members). A request published before a broadcast reaches the other nodes
   * before it (one connection, one order); applied twice here, a join or leave changes nothing.
   */
  const acrossNodes = (userIds: readonly string[], change: (sockets: ReturnType<typeof io.in>) => void) => {
    const rooms = userIds.map(userRoom);
    change(io.local.in(rooms));
    change(io.in(rooms));
  };
  return {
    toConversation(conversationId, event, payload, exceptConnection) {
      const room = io.to(conversationRoom(conversationId));
      // Every socket is in a room named by its id, so leaving one connection out is one more room.
      const receivers = exceptConnection ? room.except(exceptConnection) : room;
      (receivers.emit as Emit)(event, payload);
    },
    toConversationExceptUser(conversationId, userId, event, payload) {
      (io.to(conversationRoom(conversationId)).except(userRoom(userId)).emit as Emit)(event, payload);
    },
    toConversations(conversationIds, event, payload) {
      if (conversationIds.length === 0) return;
      (io.to(conversationIds.map(conversationRoom)).emit as Emit)(event, payload);
    },
    toUsers(userIds, event, payload) {
      if (userIds.length === 0) return;
      (io.to(userIds.map(userRoom)).emit as Emit)(event, payload);
    },
    async addUsersToConversation(userIds, conversationId) {
      if (userIds.length === 0) return;
      acrossNodes(userIds, (sockets) => sockets.socketsJoin(conversationRoom(conversationId)));
    },
    isSubscribed(connectionId, conversationId) {
      return io.sockets.sockets.get(connectionId)?.rooms.has(conversationRoom(conversationId)) === true;
    },
    async removeUsersFromConversation(userIds, conversationId) {
      if (userIds.length === 0) return;
      acrossNodes(userIds, (sockets) => sockets.socketsLeave(conversationRoom(conversationId)));
    },
  };
}
