// Where the benchmarks find the code they start and put what they write, whatever the working directory.
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const defaultResultsDir = fileURLToPath(new URL('../results/', import.meta.url));
