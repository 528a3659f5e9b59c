// Conversations and messages made over the REST API as a test's people would make them: DMs, groups,
// channels and posts, each asserted to succeed so that a test reads as its story.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Conversation, Message } from '../../src/protocol/models.ts';
import { api, type TestUser } from './clients.ts';

/** A name no other test uses: tests share a server, and channel names are unique on it. */
export const uniqueName = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

/** Starts a conversation as `creator`; it must be new (201). */
export async function startConversation(
  baseUrl: string,
  creator: TestUser,
  body: { kind: 'direct' | 'group' | 'channel'; memberIds: string[]; name?: string; policy?: object },
): Promise<Conversation> {
  const response = await api(baseUrl, 'POST', '/api/conversations', { token: creator.token, body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.conversation;
}

export const startDirect = (baseUrl: string, from: TestUser, to: TestUser) =>
  startConversation(baseUrl, from, { kind: 'direct', memberIds: [to.id] });

/**
 * A DM both people have open before anything is written in it: `from` starts it and `to` opens it too (an
 * empty DM is shown only to whoever started it, docs/access.md).
 */
export async function openDirectBoth(baseUrl: string, from: TestUser, to: TestUser): Promise<Conversation> {
  const conversation = await startDirect(baseUrl, from, to);
  const opened = await api(baseUrl, 'POST', '/api/conversations', {
    token: to.token,
    body: { kind: 'direct', memberIds: [from.id] },
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(200);
  expect(opened.body.conversation.id).toBe(conversation.id);
  return conversation;
}

/** A channel of `creator` with `members`, under a unique name starting with `label`. */
export const startChannel = (
  baseUrl: string,
  creator: TestUser,
  members: readonly TestUser[],
  label = 'room',
) =>
  startConversation(baseUrl, creator, {
    kind: 'channel',
    name: uniqueName(label),
    memberIds: members.map((member) => member.id),
  });

/** Posts a message over REST; it must be stored (201). */
export async function postMessage(
  baseUrl: string,
  sender: TestUser,
  conversationId: string,
  body: string,
  options: { mentions?: string[]; clientMsgId?: string; attachmentIds?: string[] } = {},
): Promise<Message> {
  const response = await api(baseUrl, 'POST', `/api/conversations/${conversationId}/messages`, {
    token: sender.token,
    body: {
      clientMsgId: options.clientMsgId ?? randomUUID(),
      body,
      mentions: options.mentions ?? [],
      ...(options.attachmentIds ? { attachmentIds: options.attachmentIds } : {}),
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.message;
}
