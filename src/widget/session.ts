// One signed-in user's chat: the SDK client (connection, timelines, outbox, conversations, REST actions) and
// the names of the people the user meets. It tells the UI when the conversation list, the names or the
// unread total change.
import {
  browserStorage,
  createParleyClient,
  createRestClient,
  Emitter,
  type KeyValueStorage,
  type ParleyClient,
  tokenSubject,
} from '../client/index.ts';
import type { ChannelListing, Conversation, User } from '../protocol/models.ts';
import { watchAttention } from './attention.ts';
import { Drafts, draftsKey } from './drafts.ts';
import { activityOf } from './format.ts';
import { OpenableRecords } from './openable-records.ts';
import { RecentEmoji, recentEmojiKey } from './recent-emoji.ts';

export interface SessionOptions {
  /** Parley's origin, e.g. https://chat.example.com. */
  server: string;
  getToken: () => Promise<string>;
}

interface SessionEvents {
  /** The list, a summary, or a mute changed. */
  conversations: () => void;
  /** More names are known (the user, people, members). */
  directory: () => void;
  /** The total of unread messages in conversations that are not muted. */
  unread: (total: number) => void;
  /** The records the user can open changed (record references link to them). */
  records: () => void;
}

/** Each user has their own outbox, so a shared browser never sends one user's message as another. */
export const outboxKey = (userId: string) => `parley:outbox:${userId}`;

export class WidgetSession extends Emitter<SessionEvents> {
  readonly client: ParleyClient;
  /** What the user was typing, per conversation, kept across conversation switches and reloads. */
  readonly drafts: Drafts;
  /** The emoji the user reacted with lately, first in the picker. */
  readonly recentEmoji: RecentEmoji;
  private peopleRequest: Promise<User[]> | undefined;
  private readonly names = new Map<string, string>();
  /** The SDK's list in the order the widget shows it, sorted once per change. */
  private sorted: Conversation[] = [];
  private unreadTotal = 0;
  private readonly openable = new OpenableRecords();
  private readonly unsubscribe: (() => void)[] = [];

  /** The user's token as the host hands it out: for the SDK's parts the extras chunk brings (web push). */
  readonly getToken = (): Promise<string> => this.options.getToken();

  static async start(options: SessionOptions): Promise<WidgetSession> {
    const token = await options.getToken();
    const userId = tokenSubject(token) ?? (await createRestClient(options.server, options.getToken).me()).id;
    return new WidgetSession(options, token, userId, browserStorage());
  }

  private constructor(
    private readonly options: SessionOptions,
    token: string,
    readonly userId: string,
    readonly storage: KeyValueStorage,
  ) {
    super();
    this.drafts = new Drafts(storage, draftsKey(userId));
    this.recentEmoji = new RecentEmoji(storage, recentEmojiKey(userId));
    this.openable.learnToken(token);
    this.client = createParleyClient({
      url: options.server,
      getToken: async () => {
        const next = await options.getToken();
        if (this.openable.learnToken(next)) this.emit('records');
        return next;
      },
      storage,
      outboxKey: outboxKey(userId),
    });
    const attention = watchAttention((away) => this.client.setAway(away));
    this.unsubscribe.push(
      this.client.on('conversations', () => this.conversationsChanged()),
      this.client.on('status', (status) => {
        if (status === 'connected') this.client.setAway(attention.away);
      }),
    );
    this.unsubscribe.push(() => attention.stop());
    this.client.connect();
    // Channels list no members: senders' names come from the people the user may message.
    this.people().catch((error: unknown) => console.warn('Parley: cannot load people', error));
  }

  /** The user's conversations, most recently active first. */
  conversations(): Conversation[] {
    return this.sorted;
  }

  /** Whether the user can open the record's thread, as far as the widget knows (a hint for links). */
  canOpenRecord(type: string, id: string): boolean {
    return this.openable.has(type, id);
  }

  conversation(id: string): Conversation | undefined {
    return this.sorted.find((conversation) => conversation.id === id);
  }

  get unread(): number {
    return this.unreadTotal;
  }

  nameOf(userId: string): string {
    return this.names.get(userId) ?? userId;
  }

  /** People the user may message, loaded once. */
  people(): Promise<User[]> {
    this.peopleRequest ??= this.client.people().then(
      (people) => {
        this.learnNames(people);
        return people;
      },
      (error: unknown) => {
        this.peopleRequest = undefined;
        throw error;
      },
    );
    return this.peopleRequest;
  }

  channels(): Promise<ChannelListing[]> {
    return this.client.channels();
  }

  /** Muting a record thread mutes its notes too: the user sees them as one conversation. */
  async setMuted(conversationId: string, muted: boolean): Promise<void> {
    const notes = this.notesOf(conversationId);
    await Promise.all(
      [conversationId, ...(notes ? [notes.id] : [])].map((id) => this.client.setMuted(id, muted)),
    );
  }

  /** Opens (or creates) a DM with one person or a group with several; answers its id. */
  async startConversation(memberIds: string[], name?: string): Promise<string> {
    return (await this.client.startConversation(memberIds, name)).id;
  }

  async joinChannel(conversationId: string): Promise<string> {
    return (await this.client.joinChannel(conversationId)).id;
  }

  /** Opens (and on first open creates) the thread about a host record. */
  async openRecord(type: string, id: string, grant?: string): Promise<string> {
    return (await this.client.openRecord(type, id, grant)).conversation.id;
  }

  /** The notes the user's organisation keeps on a record thread, when it keeps any. */
  notesOf(recordConversationId: string): Conversation | undefined {
    return this.sorted.find((c) => c.kind === 'notes' && c.parentId === recordConversationId);
  }

  /** Disconnects; `forget` also drops what this browser keeps of the user: the outbox, drafts, recent emoji. */
  close(forget: boolean): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
    this.client.close();
    if (!forget) return;
    this.storage.set(outboxKey(this.userId), '[]');
    this.drafts.forget();
    this.recentEmoji.forget();
  }

  private conversationsChanged(): void {
    this.sorted = [...this.client.conversations].sort((a, b) => activityOf(b).localeCompare(activityOf(a)));
    this.learnNames(this.sorted.flatMap((c) => c.members ?? []));
    this.emit('conversations');
    if (this.openable.learnConversations(this.sorted)) this.emit('records');
    const total = this.sorted.reduce((sum, c) => sum + (c.muted ? 0 : c.unreadCount), 0);
    if (total !== this.unreadTotal) {
      this.unreadTotal = total;
      this.emit('unread', total);
    }
  }

  private learnNames(people: readonly { id: string; displayName: string }[]): void {
    let learned = false;
    for (const person of people) {
      if (this.names.get(person.id) === person.displayName) continue;
      this.names.set(person.id, person.displayName);
      learned = true;
    }
    if (learned) this.emit('directory');
  }
}
