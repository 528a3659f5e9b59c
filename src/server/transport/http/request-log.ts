// What the request log says about a request: enough to debug, nothing a user typed.
import type { FastifyRequest } from 'fastify';

/**
 * A request as logged: query values (search terms, record ids typed into a filter…) never reach a log line
 * at any level; their names stay, which is what debugging needs.
 */
export function describeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: withoutQueryValues(request.url),
    remoteAddress: request.ip,
  };
}

function withoutQueryValues(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const names = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => pair.split('=')[0])
    .filter(Boolean);
  return `${url.slice(0, queryStart)}?${names.join('&')}`;
}
