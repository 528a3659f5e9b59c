// The storage seam: where attachment bytes live, behind three calls that local files and any S3-compatible
// object store both answer. Rows in `attachments` name objects by key; nothing else knows where they are.
import type { Readable } from 'node:stream';

export interface StoredObject {
  body: Readable;
  size: number;
}

export interface ObjectStorage {
  /** Stores the bytes under `key`, replacing nothing: keys are random and written once. */
  put(key: string, bytes: Buffer): Promise<void>;
  /** The object's bytes, or null when there is none under `key`. */
  get(key: string): Promise<StoredObject | null>;
  /** Deletes the objects; a key with no object is not an error. */
  delete(keys: readonly string[]): Promise<void>;
}

/** Where `PARLEY_STORAGE_URL` (or its default, the data directory) says attachments live. */
export type StorageSettings =
  | { kind: 'local'; dir: string }
  | {
      kind: 's3';
      /** `https://host:port` or, for a store on the operator's own network, `http://…`. */
      endpoint: string;
      bucket: string;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      /** `endpoint/bucket/key` rather than `bucket.endpoint/key`: what most S3-compatible stores expect. */
      forcePathStyle: boolean;
    };
