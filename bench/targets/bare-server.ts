// The ceiling Parley is measured against: Socket.IO broadcasting to rooms on the same Node, with nothing
// else (no database, no auth, no validation). A socket joins the rooms its handshake names; a
// `message:send` is numbered, broadcast to its room as Parley's `message:new` and acked as Parley acks it.
//   PORT=3100 node --import tsx bench/targets/bare-server.ts
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Server } from 'socket.io';

interface BareSend {
  room: string;
  clientMsgId: string;
  body: string;
}

const http = createServer((request, response) => {
  const healthy = request.url === '/healthz';
  response.writeHead(healthy ? 200 : 404, { 'content-type': 'application/json' });
  response.end(healthy ? '{"status":"ok"}' : '{}');
});
const io = new Server(http, { serveClient: false });
const seqs = new Map<string, number>();

io.on('connection', (socket) => {
  const { rooms, userId } = socket.handshake.auth as { rooms?: unknown; userId?: unknown };
  const joined = Array.isArray(rooms) ? rooms.filter((room): room is string => typeof room === 'string') : [];
  socket.join(joined);
  const senderId = typeof userId === 'string' ? userId : socket.id;

  // Parley answers a sync once the socket is in its rooms; here it already is.
  socket.on('sync', (_request: unknown, ack: unknown) => {
    if (typeof ack === 'function') ack({ ok: true });
  });
  socket.on('message:send', (payload: BareSend, ack: unknown) => {
    const seq = (seqs.get(payload.room) ?? 0) + 1;
    seqs.set(payload.room, seq);
    const message = {
      id: randomUUID(),
      conversationId: payload.room,
      seq,
      senderId,
      body: payload.body,
      createdAt: new Date().toISOString(),
      clientMsgId: payload.clientMsgId,
      mentions: [],
      kind: 'message',
    };
    io.to(payload.room).emit('message:new', { message });
    if (typeof ack === 'function') ack({ ok: true, message });
  });
});

http.listen(Number(process.env.PORT ?? 3100), '127.0.0.1');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => io.close(() => process.exit(0)));
}
