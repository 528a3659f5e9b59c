// The test run's environment, read in one place: whether this is CI and where the PostgreSQL server is.
export const isCI = ['1', 'true'].includes((process.env.CI ?? '').toLowerCase());

/** A server URL the tests may create and drop databases on; each run works in a fresh database of its own. */
export const postgresAdminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
