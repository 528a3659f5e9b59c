// Runs an integration suite once per database driver: embedded PGlite and a real PostgreSQL server.
import { postgresAvailable } from './postgres.ts';
import type { Driver } from './server.ts';

/** PGlite always; PostgreSQL when reachable, and always under CI, where an unreachable server is an error. */
export async function testDrivers(): Promise<Driver[]> {
  if (await postgresAvailable()) return ['pglite', 'postgres'];
  console.warn('PostgreSQL is not reachable: running the PGlite suites only (CI runs both).');
  return ['pglite'];
}
