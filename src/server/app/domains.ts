// The domain services, each given its dependencies: the one place that knows how they depend on each other.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { DNSResolver } from 'mailauth';
import type { Config } from '../config.ts';
import { createDirectory } from '../domain/access/directory.ts';
import { createMembership } from '../domain/access/membership.ts';
import { createAdministration } from '../domain/administration/administration.ts';
import { createAttachments } from '../domain/attachments/attachments.ts';
import { localStorage } from '../domain/attachments/local-storage.ts';
import { s3Storage } from '../domain/attachments/s3-storage.ts';
import { createSignedUrls } from '../domain/attachments/signed-urls.ts';
import type { ObjectStorage, StorageSettings } from '../domain/attachments/storage.ts';
import { createAttachmentSweeper } from '../domain/attachments/sweeper.ts';
import { createChannelSettings } from '../domain/conversations/channel-settings.ts';
import { createConversations } from '../domain/conversations/conversations.ts';
import { createDomainEvents } from '../domain/events/domain-events.ts';
import { createIdentity } from '../domain/identity/identity.ts';
import { createClaimsVerifier, createTokenVerifier } from '../domain/identity/token-verifier.ts';
import { createConnectionCaps } from '../domain/limits/connection-caps.ts';
import { watchEventLoop } from '../domain/limits/event-loop-load.ts';
import { createRateLimits } from '../domain/limits/rate-limits.ts';
import { createMessages } from '../domain/messages/messages.ts';
import { createInboundMail } from '../domain/notifications/inbound-mail.ts';
import { createNotifications } from '../domain/notifications/notifications.ts';
import { createPushSender, pushRequests } from '../domain/notifications/push.ts';
import { createPushDevices } from '../domain/notifications/push-devices.ts';
import type { VapidKeys } from '../domain/notifications/vapid-keys.ts';
import { createDestinations } from '../domain/outbound/destinations.ts';
import { createPresence } from '../domain/presence/presence.ts';
import { createReadState } from '../domain/read-state/read-state.ts';
import { createApiKeys } from '../domain/records/api-keys.ts';
import { createDossiers } from '../domain/records/dossier.ts';
import { createRecords, recordGrantSchema } from '../domain/records/records.ts';
import { createSearch } from '../domain/search/search.ts';
import { createSync } from '../domain/sync/sync.ts';
import { createTyping } from '../domain/typing/typing.ts';
import { createWebhookDispatcher } from '../domain/webhooks/dispatcher.ts';
import { webhookRequests } from '../domain/webhooks/post-delivery.ts';
import { createWebhooks } from '../domain/webhooks/webhooks.ts';
import type { FanOut } from '../fanout/fanout.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { Database } from '../store/db.ts';
import { listConversationIdsOfUser } from '../store/members.ts';
import { sqlPresenceStore } from '../store/presence.ts';

export interface DomainsDeps {
  config: Config;
  db: Database;
  fanOut: FanOut;
  log: FastifyBaseLogger;
  /** Where Parley is reached (PARLEY_PUBLIC_URL, else where it listens), for links in notifications. */
  baseUrl: () => string;
  /** How email replies' DKIM, SPF and DMARC names are looked up; the system's DNS when unset. */
  resolveDns?: DNSResolver | undefined;
  /** The key pair pushes are signed with (read or kept in the database before the domains are built). */
  vapidKeys: VapidKeys;
  /** Certificate authorities push services are checked against instead of the system's. */
  pushCa?: string;
  /** What the domains report to for Prometheus. */
  metrics: Metrics;
  /** The Redis several nodes share their counts in; null on one node. */
  sharedState: Redis | null;
}

function openStorage(settings: StorageSettings): ObjectStorage {
  return settings.kind === 'local' ? localStorage(settings.dir) : s3Storage(settings);
}

export function createDomains({
  config,
  db,
  fanOut,
  log,
  baseUrl,
  resolveDns,
  vapidKeys,
  pushCa,
  metrics,
  sharedState,
}: DomainsDeps) {
  const verifierOptions = { ...config.jwt, demoSecret: config.demo?.secret };
  const rateLimits = createRateLimits(config.rateLimits, metrics.rateLimited, sharedState);
  const directory = createDirectory(db, config.access);
  const events = createDomainEvents((error, event) =>
    log.error({ err: error, event: event.type }, 'event listener failed'),
  );
  // Before the ladder: its push step sends through this sender.
  const pushDestinations = createDestinations({ allow: config.push.allow, requests: pushRequests });
  const pushSender = createPushSender({
    db,
    vapid: { ...vapidKeys, subject: config.push.subject },
    destinations: pushDestinations,
    log,
    ...(pushCa ? { ca: pushCa } : {}),
    iconUrl: () => new URL('icons/icon-192.png', `${baseUrl().replace(/\/$/, '')}/`).href,
  });
  const notifications = createNotifications({
    db,
    events,
    directory,
    rateLimits,
    config: config.notifications,
    pushSender,
    baseUrl,
    onError: (error, context) => log.error({ err: error }, context),
  });
  const presence = createPresence({
    store: sqlPresenceStore(db),
    fanOut,
    nodeId: randomUUID(),
    ttlMs: config.presenceTtlMs,
    conversationIdsOf: (userId) => listConversationIdsOfUser(db, userId),
    relayIntervalMs: config.relayIntervals.presenceMs,
    onArrived: (userId) =>
      notifications.ladder
        .returned(userId)
        .catch((error) => log.error({ err: error }, 'cannot note that a user is back')),
    onError: (error) => log.error({ err: error }, 'presence heartbeat failed'),
  });
  const membership = createMembership({
    db,
    fanOut,
    options: config.access,
    presenceOf: presence.snapshot,
  });
  const identity = createIdentity({
    db,
    verifyToken: createTokenVerifier(verifierOptions),
    onAccessChanged: (userId) => membership.reconcileUser(userId),
  });
  const conversations = createConversations({ db, directory, membership, newId: randomUUID });
  const channelSettings = createChannelSettings({ db, fanOut, directory, membership });
  const webhookDestinations = createDestinations({
    allow: config.webhookAllow,
    requests: webhookRequests,
  });
  const webhookDispatcher = createWebhookDispatcher({
    db,
    events,
    onError: (error, context) => log.error({ err: error }, context),
    onAttemptFailed: metrics.webhookAttemptFailed,
    destinations: webhookDestinations,
  });
  const eventLoop =
    config.send.overloadLagMs > 0
      ? watchEventLoop({ maxLagMs: config.send.overloadLagMs, windowMs: 1000 })
      : null;
  const attachmentStorage = openStorage(config.attachments.storage);
  const messages = createMessages({
    db,
    attachmentStorage,
    fanOut,
    events,
    rateLimits,
    maxMessageLength: config.maxMessageLength,
    appendQueue: {
      maxBatch: config.send.maxBatch,
      maxWaiting: config.send.maxWaiting,
      maxWaitMs: config.send.maxWaitMs,
    },
    ...(eventLoop ? { overloaded: eventLoop.overloaded } : {}),
    sendObserver: metrics.send,
    revealFirstMessages: (conversationIds) =>
      membership
        .reveal(conversationIds)
        .catch((error) => log.error({ err: error, conversationIds }, 'cannot show a first message live')),
    editWindowSeconds: config.editWindowSeconds,
    severalNodes: config.scaleOut.redisUrl !== null,
    onError: (error, context) => log.error({ err: error }, context),
  });
  const attachments = createAttachments({
    db,
    storage: attachmentStorage,
    signedUrls: createSignedUrls({
      key: config.attachments.urlSigningKey,
      ttlMs: config.attachments.signedUrlTtlMs,
    }),
    onError: (error, context) => log.error({ err: error }, context),
  });
  return {
    rateLimits,
    notifications,
    inboundMail: notifications.replies
      ? createInboundMail({
          db,
          addresses: notifications.replies,
          messages,
          conversations,
          attachments,
          resolver: resolveDns,
        })
      : null,
    attachmentStorage,
    attachments,
    attachmentSweeper: createAttachmentSweeper({
      db,
      storage: attachmentStorage,
      unclaimedMaxAgeMs: config.attachments.unclaimedMaxAgeMs,
      intervalMs: config.attachments.sweepIntervalMs,
      onError: (error) => log.error({ err: error }, 'attachment sweep failed'),
    }),
    directory,
    identity,
    conversations,
    channelSettings,
    administration: createAdministration({
      db,
      directory,
      membership,
      conversations,
      channelSettings,
    }),
    webhookDispatcher,
    webhooks: createWebhooks({
      db,
      directory,
      dispatcher: webhookDispatcher,
      destinations: webhookDestinations,
    }),
    eventLoop,
    messages,
    pushSender,
    pushDevices: createPushDevices({
      db,
      sender: pushSender,
      destinations: pushDestinations,
      rateLimits,
      publicKey: vapidKeys.publicKey,
      newId: randomUUID,
    }),
    readState: createReadState({ db, fanOut, events }),
    presence,
    typing: createTyping({ fanOut, relayIntervalMs: config.relayIntervals.typingMs }),
    sync: createSync({
      db,
      presenceOf: presence.snapshot,
      maxCatchUp: config.syncMaxCatchUp,
      onCaughtUp: metrics.caughtUp,
    }),
    search: createSearch({ db }),
    connectionCaps: createConnectionCaps(config.connectionCaps),
    apiKeys: createApiKeys(db, directory),
    records: createRecords({
      db,
      fanOut,
      directory,
      membership,
      messages,
      events,
      verifyGrant: createClaimsVerifier(verifierOptions, recordGrantSchema, ['exp', 'iat']),
      newId: randomUUID,
    }),
    dossiers: createDossiers({ db, directory, now: () => new Date() }),
  };
}

export type Domains = ReturnType<typeof createDomains>;
