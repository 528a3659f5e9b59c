// A minimal typed event emitter that works the same in browsers and Node.

type Listener = (...args: never[]) => void;

export class Emitter<Events extends { [E in keyof Events]: Listener }> {
  private listeners = new Map<keyof Events, Set<Listener>>();

  on<E extends keyof Events>(event: E, listener: Events[E]): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return () => set.delete(listener);
  }

  protected emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    for (const listener of this.listeners.get(event) ?? [])
      (listener as (...values: Parameters<Events[E]>) => void)(...args);
  }
}
