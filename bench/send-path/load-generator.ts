// The open-loop load generator: sends at a fixed rate, spread evenly over time and over every member of
// every room, whatever the server answers; times each ack and each receipt at every other member's socket
// on this process's one clock; and counts what was shed, refused, lost or delivered twice.
import { setTimeout as delay } from 'node:timers/promises';
import type { Socket } from 'socket.io-client';
import { type Usage, watchUsage } from '../lib/process-usage.ts';
import { type LatencySummary, summarize } from '../stats.ts';
import type { Cast, Target, TargetName } from '../targets/target.ts';

/** Refusals that say "not now" (a limit, an outage): load the server chose to shed, not messages it lost. */
const SHED_CODES = new Set(['rate_limited', 'unavailable']);
const DRAIN_POLL_MS = 20;
const HELPER_LOOKUP_MS = 1000;
const TEXT =
  'The shipment for order 4711 left the warehouse this morning; tracking follows once the carrier scans it. ';

export interface RateOptions {
  /** Messages per second offered. */
  rate: number;
  seconds: number;
  bodyBytes: number;
  /** How long after the last send a message may still arrive before it counts as lost. */
  graceMs: number;
}

export interface RateFigures {
  target: TargetName;
  offeredRate: number;
  seconds: number;
  sent: number;
  acked: number;
  /** Refused with a code that says "not now", by code. */
  shed: Record<string, number>;
  /** Refused for any other reason, by code. */
  ackErrors: Record<string, number>;
  /** Sends never answered within the grace period. */
  unacked: number;
  /** One per acked message and member other than the sender. */
  expectedDeliveries: number;
  deliveries: number;
  /** Acked messages that some member's socket never received. */
  lost: number;
  /** The same message twice on one socket. */
  duplicates: number;
  /** Messages that reached a socket of no member. */
  misdelivered: number;
  /** Messages on the sender's own socket, which the ack already answered: ignored. */
  echoes: number;
  /** Sockets that dropped during the run. */
  disconnects: number;
  sendRate: number;
  ackRate: number;
  deliveryRate: number;
  ackLatency: LatencySummary;
  receiptLatency: LatencySummary;
  /** How far behind schedule sends went out: a late generator offers less than it claims. */
  generatorLag: LatencySummary;
  generatorCpuPercent: number;
  server: Usage;
  /** PostgreSQL's processes, for a target that has them. */
  database: Usage | null;
  /** From the last send until everything had arrived (or the grace period ended). */
  drainMs: number;
}

export interface LoadGenerator {
  target: Target;
  runRate: (options: RateOptions) => Promise<RateFigures>;
}

function bodyOf(bytes: number): string {
  return TEXT.repeat(Math.ceil(bytes / TEXT.length)).slice(0, bytes);
}

const ratePer = (count: number, ms: number, seconds: number) =>
  Math.round(count / Math.max(seconds, ms / 1000));

/** Tallies codes into an object of counts: `{ rate_limited: 12 }`. */
function tally(codes: readonly string[], keep: (code: string) => boolean): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const code of codes) if (keep(code)) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

/** The target's helper processes (PostgreSQL's), looked up every second: pool backends come and go. */
async function watchHelpers(target: Target): Promise<{ stop: () => Usage } | null> {
  let pids = await target.helperPids();
  if (pids.length === 0) return null;
  const lookUp = setInterval(() => {
    target.helperPids().then(
      (found) => {
        pids = found;
      },
      (error: unknown) => console.error(`${target.name}: cannot list its database processes: ${error}`),
    );
  }, HELPER_LOOKUP_MS);
  const usage = watchUsage(() => pids);
  return {
    stop: () => {
      clearInterval(lookUp);
      return usage.stop();
    },
  };
}

/** A generator over one target's connected sockets (by user index) and its rooms. */
export function createLoadGenerator(
  target: Target,
  sockets: readonly Socket[],
  rooms: Cast['rooms'],
): LoadGenerator {
  const roomSize = rooms[0]?.members.length ?? 0;
  const positions = rooms.map((room) => new Map(room.members.map((member, position) => [member, position])));
  let receive: ((socketIndex: number, clientMsgId: string, at: number) => void) | null = null;
  let disconnects = 0;
  sockets.forEach((socket, index) => {
    socket.on('message:new', (payload: { message: { clientMsgId: string } }) =>
      receive?.(index, payload.message.clientMsgId, performance.now()),
    );
    socket.on('disconnect', () => disconnects++);
  });
  let runs = 0;

  async function runRate(options: RateOptions): Promise<RateFigures> {
    const total = Math.max(1, Math.round(options.rate * options.seconds));
    const recipients = roomSize - 1;
    // Unique across the invocation: Parley answers a repeated clientMsgId with the message it already has.
    const prefix = `${target.name.slice(0, 2)}${Date.now().toString(36)}r${runs++}-`;
    const body = bodyOf(options.bodyBytes);
    const roomOf = new Uint32Array(total);
    const senderOf = new Int32Array(total);
    const sentAt = new Float64Array(total);
    const received = new Uint8Array(total);
    const seen = new Uint8Array(total * roomSize);
    const ackOk = new Uint8Array(total);
    const ackLatencies: number[] = [];
    const receiptLatencies: number[] = [];
    const lags = new Float64Array(total);
    const refusals: string[] = [];
    let sent = 0;
    let answered = 0;
    let complete = 0;
    let duplicates = 0;
    let misdelivered = 0;
    let echoes = 0;
    let lastAckAt = 0;
    let lastReceiptAt = 0;

    receive = (socketIndex, clientMsgId, at) => {
      if (!clientMsgId.startsWith(prefix)) return; // a late arrival from an earlier run
      const n = Number(clientMsgId.slice(prefix.length));
      if (!(n < sent)) return;
      if (socketIndex === senderOf[n]) {
        echoes++;
        return;
      }
      const position = positions[roomOf[n]!]!.get(socketIndex);
      if (position === undefined) {
        misdelivered++;
        return;
      }
      const flag = n * roomSize + position;
      if (seen[flag]) {
        duplicates++;
        return;
      }
      seen[flag] = 1;
      receiptLatencies.push(at - sentAt[n]!);
      lastReceiptAt = at;
      if (++received[n]! === recipients) complete++;
    };

    const send = (n: number) => {
      // Slot n: rooms in turn, and within a room its members in turn, so that every member sends alike.
      const room = n % rooms.length;
      const member = rooms[room]!.members[Math.floor(n / rooms.length) % roomSize]!;
      roomOf[n] = room;
      senderOf[n] = member;
      const payload = target.sendPayload(rooms[room]!.id, `${prefix}${n}`, body);
      sentAt[n] = performance.now();
      sockets[member]!.emit('message:send', payload, (answer: { ok: boolean; error?: { code: string } }) => {
        const at = performance.now();
        answered++;
        lastAckAt = at;
        if (answer.ok) {
          ackOk[n] = 1;
          ackLatencies.push(at - sentAt[n]!);
        } else refusals.push(answer.error?.code ?? 'unknown');
      });
    };

    const disconnectsBefore = disconnects;
    const server = watchUsage(() => target.nodes.map((node) => node.pid));
    const database = await watchHelpers(target);
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    const interval = 1000 / options.rate;
    // Open loop: each send's time is fixed by the clock; a slow ack delays nothing.
    while (sent < total) {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - start) / interval) + 1);
      for (; sent < due; sent++) {
        lags[sent] = now - (start + sent * interval);
        send(sent);
      }
      if (sent < total) await delay(Math.max(0, start + sent * interval - performance.now()));
    }
    const sendEnd = performance.now();
    const cpu = process.cpuUsage(cpuBefore);
    const serverUsage = server.stop();
    const databaseUsage = database?.stop() ?? null;

    const acked = () => ackLatencies.length;
    while (performance.now() - sendEnd < options.graceMs && (answered < total || complete < acked())) {
      await delay(DRAIN_POLL_MS);
    }
    const drainMs = performance.now() - sendEnd;
    receive = null;

    let lost = 0;
    let deliveries = 0;
    for (let n = 0; n < total; n++) {
      if (!ackOk[n]) continue;
      deliveries += received[n]!;
      if (received[n]! < recipients) lost++;
    }
    const windowMs = sendEnd - start;
    return {
      target: target.name,
      offeredRate: options.rate,
      seconds: options.seconds,
      sent,
      acked: acked(),
      shed: tally(refusals, (code) => SHED_CODES.has(code)),
      ackErrors: tally(refusals, (code) => !SHED_CODES.has(code)),
      unacked: total - answered,
      expectedDeliveries: acked() * recipients,
      deliveries,
      lost,
      duplicates,
      misdelivered,
      echoes,
      disconnects: disconnects - disconnectsBefore,
      sendRate: ratePer(sent, windowMs, options.seconds),
      ackRate: ratePer(acked(), lastAckAt - start, options.seconds),
      deliveryRate: ratePer(deliveries, lastReceiptAt - start, options.seconds),
      ackLatency: summarize(ackLatencies),
      receiptLatency: summarize(receiptLatencies),
      generatorLag: summarize(lags),
      generatorCpuPercent: Math.round((100 * (cpu.user + cpu.system)) / 1000 / windowMs),
      server: serverUsage,
      database: databaseUsage,
      drainMs: Math.round(drainMs),
    };
  }

  return { target, runRate };
}
