// Types for the part of http_ece (Encrypted Content-Encoding for HTTP, RFC 8188) the push service double uses.
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';

  interface DecryptParams {
    version: 'aes128gcm';
    /** The receiver's (the browser's) key pair; the sender's public key comes in the record header. */
    privateKey: ECDH;
    /** The subscription's authentication secret, base64url. */
    authSecret: string;
  }

  const ece: { decrypt(buffer: Buffer, params: DecryptParams): Buffer };
  export default ece;
}
