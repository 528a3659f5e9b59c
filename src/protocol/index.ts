// The protocol's public surface for host apps: payload types, event maps and error codes.
export * from './channel-members.ts';
export * from './channel-rights.ts';
export * from './dossier.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './http-url.ts';
export * from './models.ts';
export * from './push.ts';
export * from './rest.ts';
export * from './search.ts';
export * from './sync-limits.ts';
export * from './webhooks.ts';
