// Cancellation by AbortSignal: work started under `signal` checks `signal.aborted` after each await
// and drops its result; `cancel()` aborts it and hands later work a fresh signal.

export class CancelScope {
  private controller = new AbortController();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Aborts everything started under the current signal. */
  cancel(): void {
    this.controller.abort();
    this.controller = new AbortController();
  }

  /** Cancels the previous work and returns the signal of the new one (the newest request wins). */
  renew(): AbortSignal {
    this.cancel();
    return this.controller.signal;
  }
}
