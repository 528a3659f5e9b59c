// The catalogue of Parley's REST routes: health, the signed-in user's API, the host back-end's API and
// the API reference itself (admin, host back-end, attachment, notification, push and demo routes are in their own modules). The OpenAPI document at
// `/api/openapi.json`, the page at `/api/docs` and docs/protocol.md are generated from it, and a test keeps
// it equal to what the server registers.
import { z } from 'zod';
import { dossierQuerySchema, dossierSchema, hostDossierQuerySchema } from './dossier.ts';
import {
  addMembersRequestSchema,
  channelListResponseSchema,
  conversationIdParamsSchema,
  conversationListResponseSchema,
  conversationResponseSchema,
  createConversationRequestSchema,
  markReadRequestSchema,
  markReadResponseSchema,
  membersResponseSchema,
  meResponseSchema,
  messagePageQuerySchema,
  messagePageSchema,
  muteRequestSchema,
  muteResponseSchema,
  openRecordRequestSchema,
  openRecordResponseSchema,
  presenceQuerySchema,
  presenceResponseSchema,
  receiptsQuerySchema,
  receiptsResponseSchema,
  recordParamsSchema,
  sendMessageRequestSchema,
  sendMessageResponseSchema,
  unreadResponseSchema,
  userListResponseSchema,
} from './rest.ts';
import type { RouteSpec } from './route-spec.ts';
import { adminRoutes } from './routes-admin.ts';
import { attachmentRoutes } from './routes-attachments.ts';
import { channelRoutes } from './routes-channels.ts';
import { demoRoutes } from './routes-demo.ts';
import { hostRoutes } from './routes-host.ts';
import { messageRoutes } from './routes-messages.ts';
import { notificationRoutes } from './routes-notifications.ts';
import { pushRoutes } from './routes-push.ts';
import { searchQuerySchema, searchResponseSchema } from './search.ts';

const conversation = { params: conversationIdParamsSchema };
const record = { params: recordParamsSchema };
/** Points a costly read (a search, a dossier) takes of the user's event budget. */
const COSTLY_READ_POINTS = 5;

const healthRoutes: RouteSpec[] = [
  {
    method: 'GET',
    path: '/healthz',
    summary: 'Liveness: the process answers.',
    auth: 'none',
    responses: { 200: z.strictObject({ status: z.literal('ok') }) },
    errors: [],
  },
  {
    method: 'GET',
    path: '/readyz',
    summary:
      'Readiness: the database answers and the server is not shutting down (503 `not_ready` otherwise). ' +
      'With several nodes, `nodes` says whether this one hears the others through Redis now.',
    auth: 'none',
    responses: {
      200: z.strictObject({
        status: z.literal('ready'),
        database: z.enum(['pglite', 'postgres']),
        nodes: z.enum(['linked', 'unlinked']).optional(),
      }),
    },
    errors: ['not_ready'],
  },
  {
    method: 'GET',
    path: '/metrics',
    summary:
      "Prometheus metrics of this node, with the operator's token; served here only with " +
      '`PARLEY_METRICS_TOKEN` and no `PARLEY_METRICS_PORT` (docs/operations.md#metrics).',
    auth: 'metricsToken',
    responses: {},
    text: 'The Prometheus text exposition format (version 0.0.4).',
    errors: [],
    metrics: true,
  },
];

const referenceRoutes: RouteSpec[] = [
  {
    method: 'GET',
    path: '/api/openapi.json',
    summary: 'This REST API as an OpenAPI 3.1 document.',
    auth: 'none',
    responses: { 200: z.record(z.string(), z.unknown()).describe('An OpenAPI 3.1 document.') },
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/docs',
    summary: 'The same document as a readable page, rendered by the server (no scripts).',
    auth: 'none',
    responses: {},
    html: 'The API reference.',
    errors: [],
  },
];

const userRoutes: RouteSpec[] = [
  {
    method: 'GET',
    path: '/api/me',
    summary: 'The signed-in user, as Parley knows them.',
    auth: 'user',
    responses: { 200: meResponseSchema },
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/me/unread',
    summary: "The user's totals for a navigation badge (muted conversations left out).",
    auth: 'user',
    responses: { 200: unreadResponseSchema },
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/conversations',
    summary: "The user's conversations, most recently active first.",
    auth: 'user',
    responses: { 200: conversationListResponseSchema },
    errors: [],
  },
  {
    method: 'POST',
    path: '/api/conversations',
    summary:
      'Starts a direct, group or channel conversation: 201 when created, 200 when an existing direct ' +
      'conversation is returned.',
    auth: 'user',
    body: createConversationRequestSchema,
    responses: { 201: conversationResponseSchema, 200: conversationResponseSchema },
    errors: ['forbidden', 'not_found', 'name_taken'],
  },
  {
    method: 'GET',
    path: '/api/conversations/:id',
    summary: 'One conversation the user is in, as they see it.',
    auth: 'user',
    ...conversation,
    responses: { 200: conversationResponseSchema },
    errors: ['not_found'],
  },
  {
    method: 'GET',
    path: '/api/conversations/:id/messages',
    summary:
      'One page of history, ascending by seq: with `after`, the page right after it (catch-up); otherwise ' +
      'the page right before `before`, or the newest.',
    auth: 'user',
    ...conversation,
    query: messagePageQuerySchema,
    responses: { 200: messagePageSchema },
    errors: ['not_found'],
  },
  {
    method: 'POST',
    path: '/api/conversations/:id/messages',
    summary: 'Sends a message, as `message:send` does (same idempotency by `clientMsgId`).',
    auth: 'user',
    ...conversation,
    body: sendMessageRequestSchema,
    responses: { 201: sendMessageResponseSchema },
    errors: [
      'empty_message',
      'message_too_long',
      'forbidden',
      'not_found',
      'idempotency_conflict',
      'unavailable',
    ],
  },
  {
    method: 'POST',
    path: '/api/conversations/:id/join',
    summary: 'Joins a public channel the user is in scope of.',
    auth: 'user',
    ...conversation,
    responses: { 200: conversationResponseSchema },
    errors: ['not_found'],
  },
  {
    method: 'POST',
    path: '/api/conversations/:id/leave',
    summary: 'Leaves a group or channel (a direct conversation cannot be left).',
    auth: 'user',
    ...conversation,
    responses: { 204: null },
    errors: ['forbidden', 'not_found'],
  },
  {
    method: 'POST',
    path: '/api/conversations/:id/members',
    summary: 'Adds people to a group or channel (viewers may not).',
    auth: 'user',
    ...conversation,
    body: addMembersRequestSchema,
    responses: { 200: membersResponseSchema },
    errors: ['forbidden', 'not_found'],
  },
  {
    method: 'POST',
    path: '/api/conversations/:id/read',
    summary: "Moves the user's read cursor: forward only, capped at the last seq.",
    auth: 'user',
    ...conversation,
    body: markReadRequestSchema,
    responses: { 200: markReadResponseSchema },
    errors: ['not_found'],
  },
  {
    method: 'POST',
    path: '/api/conversations/:id/mute',
    summary: 'Mutes or unmutes a conversation for the user: muted ones leave the badge and do not notify.',
    auth: 'user',
    ...conversation,
    body: muteRequestSchema,
    responses: { 200: muteResponseSchema },
    errors: ['not_found'],
  },
  {
    method: 'GET',
    path: '/api/conversations/:id/receipts',
    summary: 'Who, besides its sender, has read the message at `seq`.',
    auth: 'user',
    ...conversation,
    query: receiptsQuerySchema,
    responses: { 200: receiptsResponseSchema },
    errors: ['not_found'],
  },
  {
    method: 'GET',
    path: '/api/channels',
    summary: 'The channels the user may join or is in (the channel browser).',
    auth: 'user',
    responses: { 200: channelListResponseSchema },
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/users',
    summary: 'The people the user may message.',
    auth: 'user',
    responses: { 200: userListResponseSchema },
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/presence',
    summary:
      'Presence of the listed users (comma-separated ids); people the user may not message are left out.',
    auth: 'user',
    query: presenceQuerySchema,
    responses: { 200: presenceResponseSchema },
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/search',
    summary: 'Full-text search over the messages the user may read, best first (docs/search.md).',
    auth: 'user',
    query: searchQuerySchema,
    responses: { 200: searchResponseSchema },
    errors: ['invalid_query'],
    eventPoints: COSTLY_READ_POINTS,
  },
  {
    method: 'POST',
    path: '/api/records/open',
    summary:
      "Opens a host record's thread (created on first open) with the notes of the user's organisation; " +
      'needs a grant unless the host declared the record for that organisation.',
    auth: 'user',
    body: openRecordRequestSchema,
    responses: { 200: openRecordResponseSchema },
    errors: ['forbidden', 'not_found'],
  },
  {
    method: 'GET',
    path: '/api/records/:type/:id/dossier',
    summary:
      "A record's dossier as the asking user, or (with an API key) the named organisation, may see it: JSON " +
      'as an attachment, or a printable HTML page inline (docs/records.md).',
    auth: 'userOrApiKey',
    scope: 'records:read',
    ...record,
    query: z.union([dossierQuerySchema, hostDossierQuerySchema]),
    responses: { 200: dossierSchema },
    html: 'The dossier as a printable page (`format=html`).',
    errors: ['not_found'],
    eventPoints: COSTLY_READ_POINTS,
  },
];

/** Every route, grouped as the reference shows them. */
export const restRouteGroups: { name: string; routes: RouteSpec[] }[] = [
  { name: 'Health', routes: healthRoutes },
  { name: 'Users', routes: [...userRoutes, ...channelRoutes] },
  { name: 'Messages', routes: messageRoutes },
  { name: 'Attachments', routes: attachmentRoutes },
  { name: 'Notifications', routes: notificationRoutes },
  { name: 'Web push', routes: pushRoutes },
  { name: 'Administration', routes: adminRoutes },
  { name: 'Host back-ends', routes: hostRoutes },
  { name: 'Reference', routes: referenceRoutes },
  { name: 'Demo mode', routes: demoRoutes },
];

export const restRoutes: RouteSpec[] = restRouteGroups.flatMap((group) => group.routes);
