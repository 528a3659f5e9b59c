// The part of the user's REST catalogue (routes.ts) that runs a channel from inside it: changing it, its
// member list and removing members. Creating (`POST /api/conversations`), inviting, joining and leaving are
// the conversation routes every kind shares.
import { channelMembersResponseSchema } from './channel-members.ts';
import {
  channelResponseSchema,
  conversationIdParamsSchema,
  memberParamsSchema,
  updateChannelRequestSchema,
} from './rest.ts';
import type { RouteSpec } from './route-spec.ts';

export const channelRoutes: RouteSpec[] = [
  {
    method: 'PATCH',
    path: '/api/conversations/:id',
    summary:
      'Renames, re-scopes or (un)archives a channel the user is in, as its creator or an internal admin; ' +
      'members the new policy leaves out lose it at once, and nobody may scope themselves out.',
    auth: 'user',
    params: conversationIdParamsSchema,
    body: updateChannelRequestSchema,
    responses: { 200: channelResponseSchema },
    errors: ['forbidden', 'not_found', 'name_taken'],
  },
  {
    method: 'GET',
    path: '/api/conversations/:id/members',
    summary:
      "A channel's members with their organisation and role, and what the asking member may do about it.",
    auth: 'user',
    params: conversationIdParamsSchema,
    responses: { 200: channelMembersResponseSchema },
    errors: ['forbidden', 'not_found'],
  },
  {
    method: 'DELETE',
    path: '/api/conversations/:id/members/:userId',
    summary:
      'Removes a member from a channel (its creator or an internal admin); removing oneself is leaving.',
    auth: 'user',
    params: memberParamsSchema,
    responses: { 204: null },
    errors: ['forbidden', 'not_found'],
  },
];
