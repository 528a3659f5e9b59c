// Where the client keeps what must survive a reload: the browser's localStorage (or this tab's
// sessionStorage), or memory in Node.

export interface KeyValueStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

export function memoryStorage(): KeyValueStorage {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key) ?? null,
    set: (key, value) => void values.set(key, value),
  };
}

/**
 * localStorage (or, for `session`, the tab's sessionStorage) when the page may use it (private modes and
 * sandboxed frames may not), else memory.
 */
export function browserStorage(area: 'local' | 'session' = 'local'): KeyValueStorage {
  try {
    const storage = area === 'session' ? globalThis.sessionStorage : globalThis.localStorage;
    const probe = '__parley_probe__';
    storage.setItem(probe, probe);
    storage.removeItem(probe);
    return { get: (key) => storage.getItem(key), set: (key, value) => storage.setItem(key, value) };
  } catch {
    return memoryStorage();
  }
}
