// How much one `sync` request may carry: shared by the server's schema and frame size and by the SDK, which
// splits a larger resume. Plain constants, so that the widget's bundle takes them without any schema code.

/**
 * Cursors per `sync` request; a client holding more sends several requests (the SDK does). The server sizes
 * its socket frames so that a request this large always fits (see SYNC_MAX_REQUEST_BYTES): a client that
 * sends more is answered `invalid_payload` rather than cut off by the frame limit.
 */
export const SYNC_MAX_CURSORS = 1000;

/**
 * The longest `sync` request the schema admits, in bytes of JSON: each cursor at most a 200-character id
 * (Parley's own are 36-character ASCII UUIDs), its quotes, the colon, a 10-digit seq and a comma, plus the
 * envelope. 1000 cursors take ~214 KB; few enough that one socket frame of this size costs little, many
 * enough that a user in 5000 conversations resumes in five requests.
 */
export const SYNC_MAX_REQUEST_BYTES = SYNC_MAX_CURSORS * (200 + '"":2147483647,'.length) + 1024;
