// REST route for full-text search over the conversations the user may read.
import type { FastifyInstance } from 'fastify';
import { type SearchResponse, searchQuerySchema } from '../../../protocol/search.ts';
import { parseInput } from '../../../protocol/validate.ts';
import { COSTLY_READ_POINTS } from '../../domain/limits/rate-limits.ts';
import type { Search } from '../../domain/search/search.ts';
import { userOf } from './authenticate.ts';

export function registerSearchRoutes(app: FastifyInstance, search: Search): void {
  app.get(
    '/api/search',
    { config: { eventPoints: COSTLY_READ_POINTS } },
    async (request): Promise<SearchResponse> =>
      search.search(userOf(request), parseInput(searchQuerySchema, request.query)),
  );
}
