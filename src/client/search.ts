// Full-text search from the SDK: `GET /api/search` with the user's token. A hit carries its conversation id
// and seq, which is where the thread opens; `GET /api/conversations/:id/messages?before=` loads around it.

export interface SearchParams {
  /** Words, "quoted phrases", `or`, `-excluded`; identifiers (PO-1234, #1234) also match by part. */
  q: string;
  conversationId?: string;
  senderId?: string;
  /** A host record: its thread and the notes about it. */
  record?: { type: string; id: string };
  /** A day (`2024-05-01`, whole days in UTC) or an instant. */
  from?: string | Date;
  /** Up to the end of this day, or before this instant. */
  to?: string | Date;
  hasLink?: boolean;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
  /** Hits per page, 1–50 (20 by default). */
  limit?: number;
}

function queryString(params: SearchParams): string {
  const query = new URLSearchParams({ q: params.q });
  const set = (key: string, value: string | number | boolean | Date | null | undefined) => {
    if (value === undefined || value === null) return;
    query.set(key, value instanceof Date ? value.toISOString() : String(value));
  };
  set('conversationId', params.conversationId);
  set('senderId', params.senderId);
  set('recordType', params.record?.type);
  set('recordId', params.record?.id);
  set('from', params.from);
  set('to', params.to);
  set('hasLink', params.hasLink);
  set('cursor', params.cursor);
  set('limit', params.limit);
  return query.toString();
}

/** `GET /api/search` for one page of hits. */
export function searchPath(params: SearchParams): string {
  return `/api/search?${queryString(params)}`;
}
