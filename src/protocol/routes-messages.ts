// The part of the user's REST catalogue (routes.ts) that acts on a sent message: edit, delete for everyone,
// reactions and its earlier versions. Each action also exists as a socket event (socket-events.ts).
import {
  editMessageRequestSchema,
  messageActionResponseSchema,
  messageParamsSchema,
  messageVersionsResponseSchema,
  reactionParamsSchema,
} from './message-actions.ts';
import type { RouteSpec } from './route-spec.ts';

const changeErrors = ['forbidden', 'not_found', 'rate_limited', 'unavailable'] as const;

export const messageRoutes: RouteSpec[] = [
  {
    method: 'PATCH',
    path: '/api/messages/:id',
    summary:
      "Edits the text of the user's own message (within `PARLEY_EDIT_WINDOW_SECONDS` when set); every member " +
      'receives a `message.edited` change, and only people the new text newly mentions are notified.',
    auth: 'user',
    params: messageParamsSchema,
    body: editMessageRequestSchema,
    responses: { 200: messageActionResponseSchema },
    errors: ['empty_message', 'message_too_long', ...changeErrors],
  },
  {
    method: 'DELETE',
    path: '/api/messages/:id',
    summary:
      'Deletes a message for everyone (its author, or an internal admin for any message): its text, earlier ' +
      'versions, reactions and mentions are erased, and every member receives a `message.deleted` change.',
    auth: 'user',
    params: messageParamsSchema,
    responses: { 200: messageActionResponseSchema },
    errors: changeErrors,
  },
  {
    method: 'PUT',
    path: '/api/messages/:id/reactions/:emoji',
    summary:
      "Adds the user's reaction (the emoji itself, URL-encoded); viewers may react. Adding it again changes nothing.",
    auth: 'user',
    params: reactionParamsSchema,
    responses: { 200: messageActionResponseSchema },
    errors: changeErrors,
  },
  {
    method: 'DELETE',
    path: '/api/messages/:id/reactions/:emoji',
    summary: "Takes the user's reaction back; taking back one that is not there changes nothing.",
    auth: 'user',
    params: reactionParamsSchema,
    responses: { 200: messageActionResponseSchema },
    errors: changeErrors,
  },
  {
    method: 'GET',
    path: '/api/messages/:id/versions',
    summary: "A message's earlier texts, for its author and internal admins.",
    auth: 'user',
    params: messageParamsSchema,
    responses: { 200: messageVersionsResponseSchema },
    errors: ['forbidden', 'not_found'],
  },
];
