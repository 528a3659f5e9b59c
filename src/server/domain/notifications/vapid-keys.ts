// The VAPID key pair that signs Parley's pushes: the operator's, or one generated once and kept in the
// database, so that every node signs with the same key and subscriptions outlive restarts (decision 016).
import webpush from 'web-push';
import type { Sql } from '../../store/db.ts';
import { keepVapidKeys } from '../../store/push-vapid-keys.ts';

/** Unpadded base64url: the public key is a P-256 point (65 bytes), the private key 32 bytes. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export async function loadVapidKeys(db: Sql, configured: VapidKeys | null): Promise<VapidKeys> {
  return configured ?? keepVapidKeys(db, webpush.generateVAPIDKeys());
}
