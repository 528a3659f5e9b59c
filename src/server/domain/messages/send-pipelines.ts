// Keeps each sender's messages to a conversation in the order they were sent, even with several in flight
// on one connection: once one is refused with a retryable error, later ones on that connection and
// conversation are refused too, until the refused one is sent again (or a while has passed). A client that
// retries in order, as the SDK's outbox does, can never see a later message stored before an earlier one.
import { ParleyError } from '../../../protocol/errors.ts';
import { createKeyedSerializer } from './keyed-serializer.ts';

/** Refusals a retry may overcome: the ones that stall a pipeline. */
const retryable = new Set(['rate_limited', 'unavailable']);
/** A stall left by a client that never resends (a closed tab) ends after this. */
const DEFAULT_STALL_MS = 30_000;
/** Past this many stalls, expired ones are swept on the next stall. */
const SWEEP_AT = 10_000;

interface Stall {
  clientMsgId: string;
  until: number;
  /** The refusal that stalled the pipeline, repeated to what follows so a client handles one kind. */
  code: ParleyError['code'];
  retryAfterMs: number;
}

export function createSendPipelines({ stallMs = DEFAULT_STALL_MS, now = Date.now } = {}) {
  // Admission (the rate limit and the queue's decision) takes turns per pipeline, so that a refusal is
  // known before the next message of the pipeline is admitted; storing does not take turns.
  const inAdmissionOrder = createKeyedSerializer();
  const stalls = new Map<string, Stall>();

  function stall(pipeline: string, clientMsgId: string, error: ParleyError): void {
    if (stalls.size >= SWEEP_AT) {
      for (const [key, entry] of stalls) if (entry.until <= now()) stalls.delete(key);
    }
    const retryAfterMs = error.details.retryAfterMs ?? 100;
    stalls.set(pipeline, { clientMsgId, until: now() + stallMs, code: error.code, retryAfterMs });
  }

  return {
    /**
     * Admits one message of `pipeline` (a connection or sender, and a conversation) with `enqueue`, which
     * answers with the promise of its storage — boxed, since an async function would otherwise wait for it
     * and hold the turn; resolves with what that storage resolves to.
     */
    async admit<T>(
      pipeline: string,
      clientMsgId: string,
      enqueue: () => Promise<{ storage: Promise<T> }>,
    ): Promise<T> {
      const admitted = await inAdmissionOrder(pipeline, async () => {
        const current = stalls.get(pipeline);
        if (current && current.until > now() && current.clientMsgId !== clientMsgId) {
          throw new ParleyError(
            current.code,
            'an earlier message of this conversation must be sent again first',
            {
              retryAfterMs: current.retryAfterMs,
            },
          );
        }
        stalls.delete(pipeline);
        try {
          return await enqueue();
        } catch (error) {
          if (error instanceof ParleyError && retryable.has(error.code)) stall(pipeline, clientMsgId, error);
          throw error;
        }
      });
      return admitted.storage;
    },
  };
}

export type SendPipelines = ReturnType<typeof createSendPipelines>;
