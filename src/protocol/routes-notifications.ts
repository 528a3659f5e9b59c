// The catalogue of the notification routes (docs/notifications.md): a user's settings and test email, the
// company's defaults, and the unsubscribe links emails carry, which work without a login.
import {
  notificationDefaultsResponseSchema,
  notificationDefaultsUpdateSchema,
  notificationSettingsResponseSchema,
  notificationSettingsUpdateSchema,
  testNotificationResponseSchema,
  unsubscribeQuerySchema,
} from './notifications.ts';
import type { RouteSpec } from './route-spec.ts';

export const notificationRoutes: RouteSpec[] = [
  {
    method: 'GET',
    path: '/api/me/notification-settings',
    summary: "The user's notification settings, their own choices over the company's defaults.",
    auth: 'user',
    responses: { 200: notificationSettingsResponseSchema },
    errors: [],
  },
  {
    method: 'PATCH',
    path: '/api/me/notification-settings',
    summary: 'Changes what it names; `null` returns a setting to the default (or clears quiet hours).',
    auth: 'user',
    body: notificationSettingsUpdateSchema,
    responses: { 200: notificationSettingsResponseSchema },
    errors: [],
  },
  {
    method: 'POST',
    path: '/api/me/notifications/test-email',
    summary: 'Sends the user a sample digest now (10 an hour).',
    auth: 'user',
    responses: { 202: testNotificationResponseSchema },
    errors: ['not_configured'],
  },
  {
    method: 'GET',
    path: '/api/admin/notification-defaults',
    summary: 'What notifies everyone who has not chosen for themselves.',
    auth: 'admin',
    responses: { 200: notificationDefaultsResponseSchema },
    errors: [],
  },
  {
    method: 'PATCH',
    path: '/api/admin/notification-defaults',
    summary: 'Changes the defaults; users who chose keep their choice.',
    auth: 'admin',
    body: notificationDefaultsUpdateSchema,
    responses: { 200: notificationDefaultsResponseSchema },
    errors: [],
  },
  {
    method: 'GET',
    path: '/unsubscribe',
    summary:
      "An email's unsubscribe link: a page that says what it stops and asks to confirm (a GET changes nothing).",
    auth: 'none',
    query: unsubscribeQuerySchema,
    responses: {},
    html: 'The confirmation page, or why the link does not work (400).',
    errors: ['invalid_link', 'rate_limited'],
  },
  {
    method: 'POST',
    path: '/unsubscribe',
    summary:
      "Unsubscribes: mutes the conversation, or turns all email off. The confirmation form and mail clients' " +
      'one-click (RFC 8058, `List-Unsubscribe=One-Click`) post here.',
    auth: 'none',
    query: unsubscribeQuerySchema,
    responses: {},
    html: 'What was stopped, or why the link does not work (400).',
    errors: ['invalid_link', 'rate_limited'],
  },
];
