// The client SDK's public surface.
export {
  type ConnectionStatus,
  createParleyClient,
  ParleyClient,
  type ParleyClientEvents,
  type ParleyClientOptions,
} from './client.ts';
export type { OutgoingMessage } from './outbox.ts';
export type { RefusalError } from './rest.ts';
export type { SearchParams } from './search.ts';
export { browserStorage, type KeyValueStorage, memoryStorage } from './storage.ts';
export { Timeline } from './timeline.ts';
export { type TokenUrlOptions, tokenExpiry, tokenFromUrl } from './token-url.ts';
