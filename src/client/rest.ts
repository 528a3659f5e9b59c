// The SDK's REST client, next to its socket: the calls a chat needs that are not socket events (the user,
// people, channels and running them, starting, joining and leaving conversations, mute, record threads,
// search, dossiers, notification settings), with the user's token. A refusal is thrown as a RefusalError, like the socket's refused acknowledgements.

import type { AttachmentUrlResponse, AttachmentVariant } from '../protocol/attachments.ts';
import type { ChannelMembersResponse } from '../protocol/channel-members.ts';
import type { Dossier, DossierFormat } from '../protocol/dossier.ts';
import type { ErrorResponse } from '../protocol/errors.ts';
import type { MessageVersion, MessageVersionsResponse } from '../protocol/message-actions.ts';
import type { ChannelListing, Conversation, User } from '../protocol/models.ts';
import type {
  NotificationDefaults,
  NotificationDefaultsResponse,
  NotificationDefaultsUpdate,
  NotificationSettings,
  NotificationSettingsResponse,
  NotificationSettingsUpdate,
} from '../protocol/notifications.ts';
import type {
  ChannelListResponse,
  ChannelResponse,
  ConversationResponse,
  CreateChannelRequest,
  MembersResponse,
  MeResponse,
  OpenRecordResponse,
  UpdateChannelRequest,
  UserListResponse,
} from '../protocol/rest.ts';
import type { SearchResponse } from '../protocol/search.ts';
import { dossierPath } from './dossier.ts';
import { RefusalError } from './refusal.ts';
import { type SearchParams, searchPath } from './search.ts';

export type ParleyRest = ReturnType<typeof createRestClient>;

/** The refusal an error response says (one that is not Parley's, a proxy's page, by its status alone). */
export function refusalOf(status: number, text: string): RefusalError {
  let error: ErrorResponse['error'] | undefined;
  try {
    error = (JSON.parse(text) as ErrorResponse).error;
  } catch {
    // Not JSON: reported by its status below.
  }
  return new RefusalError(error ?? { code: 'internal', message: `Parley answered ${status}` });
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * One REST request with the user's token, refused as a RefusalError: what every REST part of the SDK calls.
 * @param url Parley's base URL; `getToken` is asked before every call (it caches, the SDK does not).
 */
export function createRestCall(url: string, getToken: () => Promise<string>) {
  const base = url.replace(/\/+$/, '');

  async function call(method: Method, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${await getToken()}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
    });
    if (response.ok) return response;
    throw refusalOf(response.status, await response.text());
  }

  const json = async <T>(method: Method, path: string, body?: unknown): Promise<T> =>
    (await (await call(method, path, body)).json()) as T;

  return { base, call, json };
}

export type RestCall = ReturnType<typeof createRestCall>;

/** @param url Parley's base URL; `getToken` is asked before every call (it caches, the SDK does not). */
export function createRestClient(url: string, getToken: () => Promise<string>) {
  const { base, call, json } = createRestCall(url, getToken);

  const conversationPath = (id: string, action = '') =>
    `/api/conversations/${encodeURIComponent(id)}${action && `/${action}`}`;

  return {
    me: async (): Promise<User> => (await json<MeResponse>('GET', '/api/me')).user,
    /** People the user may message (the server leaves out everyone else). */
    people: async (): Promise<User[]> => (await json<UserListResponse>('GET', '/api/users')).users,
    channels: async (): Promise<ChannelListing[]> =>
      (await json<ChannelListResponse>('GET', '/api/channels')).channels,
    join: async (conversationId: string): Promise<Conversation> =>
      (await json<ConversationResponse>('POST', conversationPath(conversationId, 'join'))).conversation,
    /** Leaves a group or channel; the user's sockets hear `conversation:left`. */
    leave: async (conversationId: string): Promise<void> => {
      await call('POST', conversationPath(conversationId, 'leave'));
    },
    /** Creates a channel (internal staff above viewer); `memberIds` join at once. */
    createChannel: async (request: Omit<CreateChannelRequest, 'kind'>): Promise<Conversation> =>
      (await json<ConversationResponse>('POST', '/api/conversations', { kind: 'channel', ...request }))
        .conversation,
    /** Renames, re-scopes or (un)archives a channel (its creator or an internal admin). */
    updateChannel: async (conversationId: string, changes: UpdateChannelRequest): Promise<ChannelListing> =>
      (await json<ChannelResponse>('PATCH', conversationPath(conversationId), changes)).channel,
    /** Adds people in the conversation's scope; answers those who were not members yet. */
    addMembers: async (conversationId: string, userIds: string[]): Promise<string[]> =>
      (await json<MembersResponse>('POST', conversationPath(conversationId, 'members'), { userIds })).added,
    removeMember: async (conversationId: string, userId: string): Promise<void> => {
      await call('DELETE', conversationPath(conversationId, `members/${encodeURIComponent(userId)}`));
    },
    channelMembers: (conversationId: string): Promise<ChannelMembersResponse> =>
      json<ChannelMembersResponse>('GET', conversationPath(conversationId, 'members')),
    /** Answers the mute as stored; every tab of the user hears `conversation:muted`. */
    mute: async (conversationId: string, muted: boolean): Promise<boolean> =>
      (await json<{ muted: boolean }>('POST', conversationPath(conversationId, 'mute'), { muted })).muted,
    /** The record's thread, created on first open; `grant` is the host's signed say-so for this user. */
    openRecord: (type: string, id: string, grant?: string): Promise<OpenRecordResponse> =>
      json<OpenRecordResponse>('POST', '/api/records/open', { type, id, ...(grant ? { grant } : {}) }),
    /** The user's notification settings: their own choices over the company's defaults. */
    notificationSettings: async (): Promise<NotificationSettings> =>
      (await json<NotificationSettingsResponse>('GET', '/api/me/notification-settings')).settings,
    /** Changes only what `update` names (`null` returns a setting to the default); answers them all. */
    updateNotificationSettings: async (update: NotificationSettingsUpdate): Promise<NotificationSettings> =>
      (await json<NotificationSettingsResponse>('PATCH', '/api/me/notification-settings', update)).settings,
    /** What people who have not chosen get (internal admins only). */
    notificationDefaults: async (): Promise<NotificationDefaults> =>
      (await json<NotificationDefaultsResponse>('GET', '/api/admin/notification-defaults')).defaults,
    updateNotificationDefaults: async (update: NotificationDefaultsUpdate): Promise<NotificationDefaults> =>
      (await json<NotificationDefaultsResponse>('PATCH', '/api/admin/notification-defaults', update))
        .defaults,
    /** A sample digest to the user's email address now; refused `not_configured` or `rate_limited`. */
    sendTestEmail: async (): Promise<void> => {
      await call('POST', '/api/me/notifications/test-email');
    },
    /** A DM with one person (the existing one if any), or a group with several. */
    startConversation: async (memberIds: string[], name?: string): Promise<Conversation> => {
      const request =
        memberIds.length === 1
          ? { kind: 'direct', memberIds }
          : { kind: 'group', memberIds, name: name || undefined };
      return (await json<ConversationResponse>('POST', '/api/conversations', request)).conversation;
    },
    /** A message's earlier texts (its author and internal admins only). */
    messageVersions: async (messageId: string): Promise<MessageVersion[]> =>
      (await json<MessageVersionsResponse>('GET', `/api/messages/${encodeURIComponent(messageId)}/versions`))
        .versions,
    /** A signed URL of a file (or its thumbnail) for this user, valid for a few minutes. */
    attachmentUrl: async (
      attachmentId: string,
      variant: AttachmentVariant,
    ): Promise<AttachmentUrlResponse> => {
      const signed = await json<AttachmentUrlResponse>(
        'POST',
        `/api/attachments/${encodeURIComponent(attachmentId)}/url`,
        { variant },
      );
      return { ...signed, url: new URL(signed.url, `${base}/`).toString() };
    },
    /** One page of hits, best first. */
    search: (params: SearchParams): Promise<SearchResponse> =>
      json<SearchResponse>('GET', searchPath(params)),
    /** The record's dossier as this user may see it: the JSON dossier, or the printable HTML page. */
    dossier: async (
      record: { type: string; id: string },
      format: DossierFormat,
    ): Promise<Dossier | string> => {
      const response = await call('GET', dossierPath(record, format));
      return format === 'html' ? response.text() : ((await response.json()) as Dossier);
    },
  };
}
