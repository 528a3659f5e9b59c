// The notification ladder (docs/notifications.md): after the badge, a web push and then one email digest per
// user and conversation, while what they tell of stays unread. Steps are durable rows (store/
// notification-steps.ts): armed after messages commit, cancelled by the statement that reads, claimed by
// whichever node's worker comes first, and decided when they run from the state of that moment.
import type { Database } from '../../store/db.ts';
import { findStepContent, type StepContent } from '../../store/notification-content.ts';
import {
  armSteps,
  type ClaimedStep,
  claimDueSteps,
  listConversationsActiveSince,
  markReturned,
  type NotificationStep,
  recordStepOutcome,
  type StepOutcome,
} from '../../store/notification-steps.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { msUntilQuietHoursEnd } from './quiet-hours.ts';

/** A way to reach a user away from Parley: it tells them of `content` or throws (the step is retried). */
export interface NotificationChannel {
  /** Whether this user can be reached this way at all (an address, a device). */
  reachable(content: StepContent): Promise<boolean>;
  send(content: StepContent): Promise<void>;
}

export interface LadderOptions {
  pushDelayMs: number;
  /** How often armed steps are written for the conversations that had activity, and due steps run. */
  tickMs: number;
  /** How often a node looks for activity it may have missed (its own crash, another node's). */
  sweepIntervalMs: number;
  /** How far back the first look goes: the longest an email may wait. */
  startupLookBackMs: number;
  /** A claimed step is not claimed again for this long: longer than sending takes. */
  leaseMs: number;
  batchSize: number;
  /** The most messages one notification lists ("and N more" after them). */
  maxMessages: number;
}

export interface LadderDeps {
  db: Database;
  events: DomainEvents;
  channels: { push: NotificationChannel | null; email: NotificationChannel | null };
  options: LadderOptions;
  onError: (error: unknown, context: string) => void;
  now?: () => number;
}

/** Retries of a failing channel: 30 s doubling to an hour, and on until it works or the user reads. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60 * 60 * 1000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

export function createNotificationLadder({
  db,
  events,
  channels,
  options,
  onError,
  now = Date.now,
}: LadderDeps) {
  /** Conversations with activity since the last tick: their members' steps are armed together. */
  const touched = new Set<string>();
  const steps = (['push', 'email'] as const).filter(
    (step): step is NotificationStep => channels[step] !== null,
  );
  let sweptThrough = new Date(now() - options.startupLookBackMs);
  let timer: ReturnType<typeof setInterval> | undefined;
  let sweepTimer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<void> | null = null;
  const unsubscribe = events.subscribe((event) => {
    if (event.type === 'message.created' || event.type === 'message.changed') {
      touched.add(event.message.conversationId);
    }
  });

  async function arm(): Promise<void> {
    if (touched.size === 0 || steps.length === 0) return;
    const conversationIds = [...touched];
    touched.clear();
    try {
      await armSteps(db, conversationIds, steps, options.pushDelayMs);
    } catch (error) {
      for (const id of conversationIds) touched.add(id);
      throw error;
    }
  }

  /** Arms what activity since the last sweep (with a margin for late commits) should have armed. */
  async function sweep(): Promise<void> {
    const since = new Date(sweptThrough.getTime() - options.tickMs * 10);
    sweptThrough = new Date(now());
    for (const id of await listConversationsActiveSince(db, since)) touched.add(id);
    await arm();
  }

  async function decide(claimed: ClaimedStep, content: StepContent | null): Promise<StepOutcome> {
    const channel = channels[claimed.step];
    if (!content?.conversation || !channel) return { kind: 'dropped' };
    const { user, conversation } = content;
    // Notes are the company's own: whatever the membership says, nobody outside it hears of them.
    if (conversation.muted || user.level === 'nothing') return { kind: 'dropped' };
    if (conversation.kind === 'notes' && user.orgKind !== 'internal') return { kind: 'dropped' };
    if (content.messages.length === 0) return { kind: 'dropped' };
    // Not this way (turned off, no address or device): as good as told until the user is back, so that
    // every message does not arm the step anew.
    const enabled = claimed.step === 'push' ? user.pushEnabled : user.emailEnabled;
    if (!enabled || !(await channel.reachable(content)))
      return { kind: 'sent', throughSeq: conversation.lastSeq };
    const delay = claimed.step === 'push' ? options.pushDelayMs : 60_000;
    if (user.active) return { kind: 'postponed', inMs: delay };
    const quiet = user.quietHours ? msUntilQuietHoursEnd(user.quietHours, new Date(now())) : 0;
    if (quiet > 0) return { kind: 'postponed', inMs: quiet };
    try {
      await channel.send(content);
    } catch (error) {
      onError(error, `cannot send a ${claimed.step} notification`);
      return { kind: 'postponed', inMs: retryDelayMs(claimed.attempts), error: String(error) };
    }
    return { kind: 'sent', throughSeq: conversation.lastSeq };
  }

  async function runStep(claimed: ClaimedStep): Promise<void> {
    const content = await findStepContent(
      db,
      claimed.userId,
      claimed.conversationId,
      claimed.throughSeq,
      options.maxMessages,
    );
    await recordStepOutcome(db, claimed, await decide(claimed, content));
  }

  async function runDue(): Promise<void> {
    for (;;) {
      const due = await claimDueSteps(db, options.batchSize, options.leaseMs);
      await Promise.all(
        due.map((claimed) => runStep(claimed).catch((error) => onError(error, 'notification step failed'))),
      );
      if (due.length < options.batchSize) return;
    }
  }

  async function tick(): Promise<void> {
    await arm();
    await runDue();
  }

  /** One tick at a time: a slow SMTP server must not pile ticks up. */
  function kick(work: () => Promise<void>, context: string): void {
    if (running) return;
    running = work()
      .catch((error) => onError(error, context))
      .finally(() => {
        running = null;
      });
  }

  return {
    /** A client of the user connected: they are back, and may be told again of what is new. */
    async returned(userId: string): Promise<void> {
      await markReturned(db, userId);
    },

    start(): void {
      kick(sweep, 'notification sweep failed');
      timer = setInterval(() => kick(tick, 'notification tick failed'), options.tickMs);
      timer.unref();
      sweepTimer = setInterval(() => kick(sweep, 'notification sweep failed'), options.sweepIntervalMs);
      sweepTimer.unref();
    },

    /** Stops the timers and arms what is waiting to be armed, so that a restart loses nothing. */
    async stop(): Promise<void> {
      clearInterval(timer);
      clearInterval(sweepTimer);
      unsubscribe();
      await running;
      await arm().catch((error) => onError(error, 'notification arm at shutdown failed'));
    },
  };
}

export type NotificationLadder = ReturnType<typeof createNotificationLadder>;
