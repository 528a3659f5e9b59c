// The REST routes the widget needs beyond the SDK's socket (the user, people, channels, joining, muting,
// starting conversations), called with the same token as the socket.
import type { ErrorBody, ErrorResponse } from '../protocol/errors.ts';
import type { ChannelListing, Conversation, User } from '../protocol/models.ts';
import type {
  ChannelListResponse,
  ConversationResponse,
  MeResponse,
  OpenRecordResponse,
  UserListResponse,
} from '../protocol/rest.ts';

/** A refusal from Parley, with its stable code and message. */
class ApiError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
    this.name = 'ApiError';
  }
}

export type Api = ReturnType<typeof createApi>;

export function createApi(server: string, getToken: () => Promise<string>) {
  const base = server.replace(/\/+$/, '');

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${await getToken()}`,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
    });
    const data = (await response.json().catch(() => null)) as T | ErrorResponse | null;
    if (response.ok && data !== null) return data as T;
    const error = (data as ErrorResponse | null)?.error;
    throw new ApiError(error ?? { code: 'internal', message: `Parley answered ${response.status}` });
  }

  const conversationPath = (id: string, action: string) =>
    `/api/conversations/${encodeURIComponent(id)}/${action}`;

  return {
    me: async (): Promise<User> => (await call<MeResponse>('GET', '/api/me')).user,
    /** People the user may message (the server leaves out everyone else). */
    people: async (): Promise<User[]> => (await call<UserListResponse>('GET', '/api/users')).users,
    channels: async (): Promise<ChannelListing[]> =>
      (await call<ChannelListResponse>('GET', '/api/channels')).channels,
    join: async (conversationId: string): Promise<Conversation> =>
      (await call<ConversationResponse>('POST', conversationPath(conversationId, 'join'))).conversation,
    mute: async (conversationId: string, muted: boolean): Promise<boolean> =>
      (await call<{ muted: boolean }>('POST', conversationPath(conversationId, 'mute'), { muted })).muted,
    /** The record's thread, created on first open; `grant` is the host's signed say-so for this user. */
    openRecord: (type: string, id: string, grant?: string): Promise<OpenRecordResponse> =>
      call<OpenRecordResponse>('POST', '/api/records/open', { type, id, ...(grant ? { grant } : {}) }),
    /** A DM with one person (the existing one if any), or a group with several. */
    start: async (memberIds: string[], name?: string): Promise<Conversation> => {
      const request =
        memberIds.length === 1
          ? { kind: 'direct', memberIds }
          : { kind: 'group', memberIds, name: name || undefined };
      return (await call<ConversationResponse>('POST', '/api/conversations', request)).conversation;
    },
  };
}
