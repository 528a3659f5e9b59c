// The catalogue of the web push routes: the server's VAPID public key, the user's push devices and a test
// notification (docs/notifications.md#web-push).
import {
  pushDeviceListResponseSchema,
  pushDeviceParamsSchema,
  pushDeviceResponseSchema,
  pushKeyResponseSchema,
  pushTestResponseSchema,
  subscribePushRequestSchema,
} from './push.ts';
import type { RouteSpec } from './route-spec.ts';

export const pushRoutes: RouteSpec[] = [
  {
    method: 'GET',
    path: '/api/push/key',
    summary: "The server's VAPID public key, for `pushManager.subscribe({ applicationServerKey })`.",
    auth: 'user',
    responses: { 200: pushKeyResponseSchema },
    errors: [],
  },
  {
    method: 'POST',
    path: '/api/push/devices',
    summary:
      "Registers a browser's push subscription for the user: 201 when new to the user, 200 when they had " +
      'it already; an endpoint another user had moves to this one. The user keeps their 20 newest devices.',
    auth: 'user',
    body: subscribePushRequestSchema,
    responses: { 201: pushDeviceResponseSchema, 200: pushDeviceResponseSchema },
    errors: ['destination_refused'],
  },
  {
    method: 'GET',
    path: '/api/push/devices',
    summary: "The user's push devices, newest first.",
    auth: 'user',
    responses: { 200: pushDeviceListResponseSchema },
    errors: [],
  },
  {
    method: 'DELETE',
    path: '/api/push/devices/:id',
    summary: 'Forgets one of the user’s push devices: nothing is pushed to it any more.',
    auth: 'user',
    params: pushDeviceParamsSchema,
    responses: { 204: null },
    errors: ['not_found'],
  },
  {
    method: 'POST',
    path: '/api/push/test',
    summary:
      'Pushes a test notification to every device of the user and says how many push services took it ' +
      '(10 test notifications an hour, emails included).',
    auth: 'user',
    responses: { 200: pushTestResponseSchema },
    errors: [],
  },
];
