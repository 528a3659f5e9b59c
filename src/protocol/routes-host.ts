// The host back-end part of the REST catalogue (routes.ts): what a host's server does with its API key
// (`Authorization: Bearer pk_…`): declare records and post events into their threads.
import {
  declareRecordRequestSchema,
  hostRecordResponseSchema,
  postRecordEventRequestSchema,
  recordParamsSchema,
  sendMessageResponseSchema,
} from './rest.ts';
import type { RouteSpec } from './route-spec.ts';

const record = { params: recordParamsSchema };

export const hostRoutes: RouteSpec[] = [
  {
    method: 'PUT',
    path: '/api/records/:type/:id',
    summary: 'Declares or updates a host record: its title, link, context card, status and who may see it.',
    auth: 'apiKey',
    scope: 'records:write',
    ...record,
    body: declareRecordRequestSchema,
    responses: { 200: hostRecordResponseSchema },
    errors: ['not_found'],
  },
  {
    method: 'GET',
    path: '/api/records/:type/:id',
    summary: 'A record as last declared.',
    auth: 'apiKey',
    scope: 'records:write',
    ...record,
    responses: { 200: hostRecordResponseSchema },
    errors: ['not_found'],
  },
  {
    method: 'POST',
    path: '/api/records/:type/:id/messages',
    summary:
      'Posts an event into a record\'s thread ("Order 1234 shipped"); a retry with the same `clientMsgId` stores nothing new.',
    auth: 'apiKey',
    scope: 'records:post',
    ...record,
    body: postRecordEventRequestSchema,
    responses: { 201: sendMessageResponseSchema },
    errors: ['empty_message', 'message_too_long', 'not_found', 'idempotency_conflict', 'unavailable'],
  },
];
