// The client SDK's public surface. Web push is an entry of its own (push.ts, `parley/client/push`): an app
// that never pushes carries none of it.
export type { Attachments, UploadFile, UploadOptions } from './attachments.ts';
export type { ChannelManagement, NewChannel } from './channel-management.ts';
export {
  type ConnectionStatus,
  createParleyClient,
  ParleyClient,
  type ParleyClientEvents,
  type ParleyClientOptions,
} from './client.ts';
export { Emitter } from './emitter.ts';
export type { MessageActions } from './message-actions.ts';
export type { Broadcast, OutgoingMessage } from './outbox.ts';
export { RefusalError } from './refusal.ts';
export { createRestCall, createRestClient, type ParleyRest, type RestCall } from './rest.ts';
export type { SearchParams } from './search.ts';
export type { SendOptions } from './sender.ts';
export { browserStorage, type KeyValueStorage, memoryStorage } from './storage.ts';
export { Timeline } from './timeline.ts';
export { readToken, type TokenClaims, tokenExpiry, tokenSubject } from './token-claims.ts';
export { type TokenUrlOptions, tokenFromUrl } from './token-url.ts';
