// The messages on screen, one per id: a repeated problem replaces its message, never stacks.
import type { EngineMessage } from './messages';
import type { Store } from './store';

export class MessageBoard {
  lastError: string | null = null; // the newest error text, for the debug handle

  constructor(private readonly store: Store<{ messages: EngineMessage[] }>) {}

  post(m: EngineMessage): void {
    const rest = this.store.get().messages.filter((x) => x.id !== m.id);
    this.store.set({ messages: [...rest, m] });
  }

  clear(id: string): void {
    const msgs = this.store.get().messages;
    if (msgs.some((m) => m.id === id)) this.store.set({ messages: msgs.filter((m) => m.id !== id) });
  }

  /** Posts `m` and remembers `error` as the last error. */
  fail(error: string, m: EngineMessage): void {
    this.lastError = error;
    this.post(m);
  }
}
