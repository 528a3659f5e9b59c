// What the request log says about a request: enough to debug, nothing a user typed.
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

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

/**
 * One line per answered request, at debug: at info a node's log carries what needs attention (starts,
 * warnings, failures), not its traffic, which metrics count. `LOG_LEVEL=debug` brings the lines back.
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    const line = { req: request, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.debug(line, 'request answered');
  }
}
