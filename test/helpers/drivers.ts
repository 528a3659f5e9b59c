// Runs an integration suite once per database driver: embedded PGlite and a real PostgreSQL server.
import { inject } from 'vitest';
import type { Driver } from './server.ts';

/** Whether the PostgreSQL server answered the global setup; under CI it must, or the run fails there. */
export const postgresServerAvailable = inject('machine').postgresServer;

/** PGlite always; PostgreSQL too where the server is available. */
export function testDrivers(): Driver[] {
  return postgresServerAvailable ? ['pglite', 'postgres'] : ['pglite'];
}
