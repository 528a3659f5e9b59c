// Setup work (users, conversations, sockets) done a bounded number at a time: fast, without opening
// thousands of requests at once.

/**
 * Runs `work` over `items`, at most `limit` at a time; the results are in the items' order. After a
 * failure no further item is started, and the first failure is what it throws.
 */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  await Promise.all(lanes);
  return results;
}
