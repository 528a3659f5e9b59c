// The Parley client SDK: one connection, gap-free timelines per conversation, and an outbox that sends
// each message exactly once. Runs in browsers and in Node; the widget, tests, benchmarks and host apps use it.
// This façade wires the parts (connection, conversation store, sync, sender, presence) and owns the events.
import type { Dossier } from '../protocol/dossier.ts';
import type { ChannelListing, Conversation, Message, User, UserPresence } from '../protocol/models.ts';
import type {
  NotificationDefaults,
  NotificationDefaultsUpdate,
  NotificationSettings,
  NotificationSettingsUpdate,
} from '../protocol/notifications.ts';
import type { OpenRecordResponse } from '../protocol/rest.ts';
import type { SearchResponse } from '../protocol/search.ts';
import { Attachments } from './attachments.ts';
import { ChannelManagement } from './channel-management.ts';
import type { ConnectionStatus, ParleyClientEvents } from './client-events.ts';
import { Connection } from './connection.ts';
import { ConversationStore } from './conversation-store.ts';
import { Emitter } from './emitter.ts';
import { MessageActions } from './message-actions.ts';
import { Outbox, type OutgoingMessage } from './outbox.ts';
import { PresenceBook } from './presence.ts';
import { createRestClient, type ParleyRest } from './rest.ts';
import type { SearchParams } from './search.ts';
import { Sender, type SendOptions } from './sender.ts';
import { type KeyValueStorage, memoryStorage } from './storage.ts';
import { withMuted } from './summaries.ts';
import { Synchronizer } from './sync.ts';

export type { ConnectionStatus, ParleyClientEvents } from './client-events.ts';

export interface ParleyClientOptions {
  /** Parley's base URL, e.g. https://chat.example.com. */
  url: string;
  /** Returns a valid token for the current user; called on every (re)connect and before expiry. */
  getToken: () => Promise<string>;
  /** Where unsent messages survive reloads: `browserStorage()` in pages; memory by default. */
  storage?: KeyValueStorage;
  /** Storage key of the outbox; give each user their own. */
  outboxKey?: string;
  /** Socket.IO transports, websocket first with long-polling fallback by default. */
  transports?: ('websocket' | 'polling')[];
  /** How long a send may wait for its acknowledgement before it is retried. */
  ackTimeoutMs?: number;
  /**
   * Node only: the `http.Agent` the socket connects through (a proxy's, or one bound to a local address,
   * e.g. `new Agent({ localAddress })`); REST calls use the global fetch.
   */
  agent?: object;
  random?: () => number;
  now?: () => number;
}

export class ParleyClient extends Emitter<ParleyClientEvents> {
  /** The REST calls with this client's token, for what has no method here (people, channels, the user). */
  readonly rest: ParleyRest;
  /** Creating channels, changing them and who is in them. */
  readonly channelManagement: ChannelManagement;
  /** Editing, deleting and reacting to sent messages. */
  readonly messageActions: MessageActions;
  /** Uploading files for messages to carry, and signed URLs to show them. */
  readonly attachments: Attachments;
  private readonly connection: Connection;
  private readonly store: ConversationStore;
  private readonly presenceBook: PresenceBook;
  private readonly sync: Synchronizer;
  private readonly sender: Sender;

  constructor(options: ParleyClientOptions) {
    super();
    const emit = this.emit.bind(this);
    const random = options.random ?? Math.random;
    const now = options.now ?? Date.now;
    this.rest = createRestClient(options.url, options.getToken);
    this.attachments = new Attachments(options.url, options.getToken, this.rest);
    this.channelManagement = new ChannelManagement(this.rest, (conversation) => this.held(conversation));
    this.connection = new Connection(
      {
        url: options.url,
        getToken: options.getToken,
        transports: options.transports ?? ['websocket', 'polling'],
        agent: options.agent,
        ackTimeoutMs: options.ackTimeoutMs ?? 10_000,
        random,
      },
      {
        connected: () => void this.sync.resync(),
        disconnected: () => {
          this.sync.disconnected();
          this.sender.disconnected();
          this.presenceBook.disconnected();
        },
      },
      emit,
    );
    const { socket } = this.connection;
    this.store = new ConversationStore((conversations) => emit('conversations', conversations));
    // Presence hears a new message first: its sender stops typing before the message shows.
    this.presenceBook = new PresenceBook(socket, emit, now);
    this.sync = new Synchronizer({
      connection: this.connection,
      conversations: this.store,
      presence: this.presenceBook,
      emit,
      random,
      synced: () => {
        emit('status', 'connected');
        this.sender.flush();
      },
    });
    this.store.listen(socket, this.sync);
    this.messageActions = new MessageActions(this.connection, this.rest, (change) =>
      this.sync.receive(change.conversationId, [change]),
    );
    this.sender = new Sender({
      connection: this.connection,
      outbox: new Outbox(options.storage ?? memoryStorage(), options.outboxKey ?? 'parley:outbox'),
      emit,
      synced: () => this.sync.synced,
      stored: (message) => this.sync.receive(message.conversationId, [message]),
      now,
      random,
    });
  }

  /** The connected user, known after the first sync. */
  get me(): User | undefined {
    return this.sync.me;
  }

  /**
   * Connects (and keeps reconnecting until `close`). After a refusal for too many open connections (other
   * tabs or devices of the user), the client tries once more a minute or two later and then stays `offline`
   * until this is called again.
   */
  connect(): void {
    this.connection.connect();
  }

  close(): void {
    this.presenceBook.clear();
    this.sender.stop();
    this.connection.close();
  }

  get status(): ConnectionStatus {
    return this.connection.connected && this.sync.synced ? 'connected' : this.connection.waitingStatus;
  }

  /** Most recently updated first: conversations the server listed, and those just created over REST. */
  get conversations(): readonly Conversation[] {
    return this.store.all;
  }

  /** The held messages of a conversation, oldest first (call `open` first to load its newest page). */
  messages(conversationId: string): readonly Message[] {
    return this.sync.messages(conversationId);
  }

  /** The highest contiguous seq held for a conversation: the sync cursor. */
  cursor(conversationId: string): number {
    return this.sync.cursor(conversationId);
  }

  get pending(): readonly OutgoingMessage[] {
    return this.sender.pending;
  }

  /** Loads a conversation's newest page when nothing of it is held yet. */
  open(conversationId: string, limit = 50): Promise<readonly Message[]> {
    return this.sync.open(conversationId, limit);
  }

  /** Loads the page before the oldest held message; returns false when the beginning is reached. */
  loadEarlier(conversationId: string, limit = 50): Promise<boolean> {
    return this.sync.loadEarlier(conversationId, limit);
  }

  /**
   * Loads history back to `seq` and a few messages before it (a search hit, a link to a message): the
   * timeline stays one gap-free run up to the newest message.
   */
  loadBackTo(conversationId: string, seq: number, before = 10): Promise<void> {
    return this.sync.loadBackTo(conversationId, seq, before);
  }

  /**
   * Queues a message: it shows as pending at once and is sent (and re-sent) until acknowledged. `mentions`
   * are the ids of members the message names; each of them counts it as a mention. `replyToId` quotes a
   * message of the same conversation; `attachmentIds` are files uploaded with `attachments.upload`;
   * `broadcast` (`'channel'` or `'here'`) mentions every member, or every member online now, where the
   * user may (a channel's members answer says so); the server refuses it elsewhere.
   */
  send(
    conversationId: string,
    body: string,
    mentions: readonly string[] = [],
    options: SendOptions = {},
  ): OutgoingMessage {
    return this.sender.send(conversationId, body, mentions, options);
  }

  /**
   * When the user wrote one of their messages, for those this client sent (a message waits in the outbox
   * while offline; its `createdAt` is when the server stored it). Undefined for messages sent elsewhere.
   */
  writtenAt(clientMsgId: string): string | undefined {
    return this.sender.writtenAt(clientMsgId);
  }

  retry(clientMsgId: string): void {
    this.sender.retry(clientMsgId);
  }

  discard(clientMsgId: string): void {
    this.sender.discard(clientMsgId);
  }

  async markRead(conversationId: string, seq: number): Promise<number> {
    return (await this.connection.request('conversation:read', { conversationId, seq })).lastReadSeq;
  }

  /**
   * Mutes or unmutes for all the user's tabs and devices: the summary changes at once, every other client
   * follows through `conversation:muted`, and a refusal puts the summary back before it is thrown.
   */
  async setMuted(conversationId: string, muted: boolean): Promise<void> {
    const before = this.store.get(conversationId)?.muted;
    this.store.update(conversationId, (conversation) => withMuted(conversation, muted));
    try {
      const stored = await this.rest.mute(conversationId, muted);
      this.store.update(conversationId, (conversation) => withMuted(conversation, stored));
    } catch (error) {
      if (before !== undefined) this.store.update(conversationId, (c) => withMuted(c, before));
      throw error;
    }
  }

  /** Opens (or creates) a DM with one person or a group with several; listed at once. */
  async startConversation(memberIds: string[], name?: string): Promise<Conversation> {
    return this.held(await this.rest.startConversation(memberIds, name));
  }

  async joinChannel(conversationId: string): Promise<Conversation> {
    return this.held(await this.rest.join(conversationId));
  }

  /** Opens (and on first open creates) the thread about a host record, and its notes when kept. */
  async openRecord(type: string, id: string, grant?: string): Promise<OpenRecordResponse> {
    const answer = await this.rest.openRecord(type, id, grant);
    if (answer.notes) this.held(answer.notes);
    this.held(answer.conversation);
    return answer;
  }

  /** People the user may message. */
  people(): Promise<User[]> {
    return this.rest.people();
  }

  channels(): Promise<ChannelListing[]> {
    return this.rest.channels();
  }

  /** Messages the user may read that match `params.q`, best first; pass `nextCursor` back as `cursor` for more. */
  search(params: SearchParams): Promise<SearchResponse> {
    return this.rest.search(params);
  }

  /** What reaches the user beyond the badge (push, email, quiet hours): their choices over the defaults. */
  notificationSettings(): Promise<NotificationSettings> {
    return this.rest.notificationSettings();
  }

  /** Saves only what `update` names, for all the user's devices; answers the settings as stored. */
  updateNotificationSettings(update: NotificationSettingsUpdate): Promise<NotificationSettings> {
    return this.rest.updateNotificationSettings(update);
  }

  /** The company's defaults for people who have not chosen; internal admins only (else `forbidden`). */
  notificationDefaults(): Promise<NotificationDefaults> {
    return this.rest.notificationDefaults();
  }

  /** Changes only what `update` names of the defaults; answers them as stored. Internal admins only. */
  updateNotificationDefaults(update: NotificationDefaultsUpdate): Promise<NotificationDefaults> {
    return this.rest.updateNotificationDefaults(update);
  }

  /** Emails the user a sample digest now; a RefusalError says why not (`not_configured`, `rate_limited`). */
  sendTestEmail(): Promise<void> {
    return this.rest.sendTestEmail();
  }

  /** The record's dossier as this user may see it: the JSON dossier, or the printable HTML page. */
  exportRecord(type: string, id: string, format?: 'json'): Promise<Dossier>;
  exportRecord(type: string, id: string, format: 'html'): Promise<string>;
  exportRecord(type: string, id: string, format: 'json' | 'html' = 'json'): Promise<Dossier | string> {
    return this.rest.dossier({ type, id }, format);
  }

  /** A person's presence; undefined when unknown, as always while the client is not connected. */
  presence(userId: string): UserPresence | undefined {
    return this.presenceBook.of(userId);
  }

  /** Users typing in the conversation now (the server never echoes the user's own typing). */
  typing(conversationId: string): string[] {
    return this.presenceBook.typing(conversationId);
  }

  /** Call on every keystroke and when the composer empties or sends; throttled to what others need. */
  setTyping(conversationId: string, typing: boolean): void {
    this.presenceBook.setTyping(conversationId, typing);
  }

  /** Idle (no input, hidden tab) or back; the user counts as away only when all their tabs are. */
  setAway(away: boolean): void {
    this.presenceBook.setAway(away);
  }

  /** Keeps a conversation a REST call answered until the socket confirms it. */
  private held(conversation: Conversation): Conversation {
    this.store.hold(conversation);
    return conversation;
  }
}

export function createParleyClient(options: ParleyClientOptions): ParleyClient {
  return new ParleyClient(options);
}
