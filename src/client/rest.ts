// The SDK's few REST reads (search, exports) next to its socket: the user's token, and a refusal thrown as
// an Error carrying the server's error body as `body`, like the socket's refused acknowledgements.
import type { ErrorBody, ErrorResponse } from '../protocol/errors.ts';

/** An Error with the server's error body, as the SDK throws every refusal. */
export type RefusalError = Error & { body: ErrorBody };

export async function getFromParley(baseUrl: string, token: string, pathAndQuery: string): Promise<Response> {
  const response = await fetch(`${baseUrl.replace(/\/+$/, '')}${pathAndQuery}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.ok) return response;
  const error = ((await response.json().catch(() => null)) as ErrorResponse | null)?.error ?? {
    code: 'internal',
    message: `Parley answered ${response.status}`,
  };
  throw Object.assign(new Error(error.message), { body: error }) as RefusalError;
}
