// One signed-in user's chat: the SDK client (connection, timelines, outbox), the names of the people the user
// meets, and the REST actions the SDK has no call for (people, channels, join, mute, new conversations).
// It tells the UI when the conversation list, the names or the unread total change.
import { Emitter } from '../client/emitter.ts';
import {
  browserStorage,
  createParleyClient,
  type KeyValueStorage,
  type ParleyClient,
} from '../client/index.ts';
import type { ChannelListing, Conversation, User } from '../protocol/models.ts';
import { type Api, createApi } from './api.ts';
import { activityOf } from './format.ts';

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
}

/** Each user has their own outbox, so a shared browser never sends one user's message as another. */
export const outboxKey = (userId: string) => `parley:outbox:${userId}`;

/** The `sub` claim of a JWT, read without verifying it: only to name the user's outbox before connecting. */
export function tokenSubject(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const bytes = Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
      c.charCodeAt(0),
    );
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as { sub?: unknown };
    return typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : undefined;
  } catch {
    // Not a JWT we can read: the caller asks the server who the user is instead.
    return undefined;
  }
}

export class WidgetSession extends Emitter<SessionEvents> {
  readonly client: ParleyClient;
  /** What the user was typing, per conversation, kept while the panel closes and reopens. */
  readonly drafts = new Map<string, string>();
  private peopleRequest: Promise<User[]> | undefined;
  private readonly names = new Map<string, string>();
  /** Mutes set here; the SDK's summaries learn them only at the next sync. */
  private readonly mutes = new Map<string, boolean>();
  /** Conversations created or joined over REST, until the socket's `conversation:joined` arrives. */
  private readonly started = new Map<string, Conversation>();
  private unreadTotal = 0;
  private readonly unsubscribe: (() => void)[] = [];

  static async start(options: SessionOptions): Promise<WidgetSession> {
    const api = createApi(options.server, options.getToken);
    const userId = tokenSubject(await options.getToken()) ?? (await api.me()).id;
    return new WidgetSession(options, api, userId, browserStorage());
  }

  private constructor(
    options: SessionOptions,
    private readonly api: Api,
    readonly userId: string,
    private readonly storage: KeyValueStorage,
  ) {
    super();
    this.client = createParleyClient({
      url: options.server,
      getToken: options.getToken,
      storage,
      outboxKey: outboxKey(userId),
    });
    this.unsubscribe.push(
      this.client.on('conversations', () => this.conversationsChanged()),
      this.client.on('status', (status) => {
        if (status !== 'connected') return;
        // A sync just brought fresh summaries, mutes included.
        this.mutes.clear();
        this.client.setAway(document.visibilityState === 'hidden');
      }),
    );
    const onVisibility = () => this.client.setAway(document.visibilityState === 'hidden');
    document.addEventListener('visibilitychange', onVisibility);
    this.unsubscribe.push(() => document.removeEventListener('visibilitychange', onVisibility));
    this.client.connect();
    // Channels list no members: senders' names come from the people the user may message.
    this.people().catch((error: unknown) => console.warn('Parley: cannot load people', error));
  }

  /** The user's conversations, most recently active first. */
  conversations(): Conversation[] {
    const known = this.client.conversations;
    const fresh = [...this.started.values()].filter((started) => !known.some((c) => c.id === started.id));
    return [...known, ...fresh]
      .map((c) => (this.mutes.has(c.id) ? { ...c, muted: this.mutes.get(c.id) as boolean } : c))
      .sort((a, b) => activityOf(b).localeCompare(activityOf(a)));
  }

  conversation(id: string): Conversation | undefined {
    return this.conversations().find((conversation) => conversation.id === id);
  }

  get unread(): number {
    return this.unreadTotal;
  }

  nameOf(userId: string): string {
    return this.names.get(userId) ?? userId;
  }

  /** People the user may message, loaded once. */
  people(): Promise<User[]> {
    this.peopleRequest ??= this.api.people().then(
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
    return this.api.channels();
  }

  /** Muting a record thread mutes its notes too: the user sees them as one conversation. */
  async setMuted(conversationId: string, muted: boolean): Promise<void> {
    const notes = this.notesOf(conversationId);
    await Promise.all(
      [conversationId, ...(notes ? [notes.id] : [])].map((id) => this.setOneMuted(id, muted)),
    );
  }

  private async setOneMuted(conversationId: string, muted: boolean): Promise<void> {
    this.mutes.set(conversationId, muted);
    this.conversationsChanged();
    try {
      this.mutes.set(conversationId, await this.api.mute(conversationId, muted));
    } catch (error) {
      this.mutes.delete(conversationId);
      throw error;
    } finally {
      this.conversationsChanged();
    }
  }

  /** Opens (or creates) a DM with one person or a group with several; answers its id. */
  async startConversation(memberIds: string[], name?: string): Promise<string> {
    return this.remember(await this.api.start(memberIds, name));
  }

  async joinChannel(conversationId: string): Promise<string> {
    return this.remember(await this.api.join(conversationId));
  }

  /** Opens (and on first open creates) the thread about a host record. */
  async openRecord(type: string, id: string, grant?: string): Promise<string> {
    const { conversation, notes } = await this.api.openRecord(type, id, grant);
    if (notes) this.remember(notes);
    return this.remember(conversation);
  }

  /** The notes the user's organisation keeps on a record thread, when it keeps any. */
  notesOf(recordConversationId: string): Conversation | undefined {
    return this.conversations().find((c) => c.kind === 'notes' && c.parentId === recordConversationId);
  }

  /** Disconnects; `forget` also drops the messages still waiting in this user's outbox. */
  close(forget: boolean): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
    this.client.close();
    if (forget) this.storage.set(outboxKey(this.userId), '[]');
  }

  private remember(conversation: Conversation): string {
    this.started.set(conversation.id, conversation);
    this.conversationsChanged();
    return conversation.id;
  }

  private conversationsChanged(): void {
    const conversations = this.conversations();
    for (const id of this.started.keys()) {
      if (this.client.conversations.some((c) => c.id === id)) this.started.delete(id);
    }
    this.learnNames(conversations.flatMap((c) => c.members ?? []));
    this.emit('conversations');
    const total = conversations.reduce((sum, c) => sum + (c.muted ? 0 : c.unreadCount), 0);
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
