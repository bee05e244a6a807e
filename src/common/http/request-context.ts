import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from '../auth/principal';

export interface RequestContextStore {
  requestId: string;
  principal?: Principal;
}

const als = new AsyncLocalStorage<RequestContextStore>();

/** Who is calling and under which request id, for code far from the controller (the audit log). */
export const RequestContext = {
  current(): RequestContextStore | undefined {
    return als.getStore();
  },
  run<T>(store: RequestContextStore, fn: () => T): T {
    return als.run(store, fn);
  },
};

/** Handlers running now: shutdown waits for them before closing the database. */
@Injectable()
export class InFlightTracker {
  private running = 0;

  enter(): void {
    this.running++;
  }

  leave(): void {
    this.running--;
  }

  /** Resolves when no handler runs, or after `timeoutMs`. */
  async idle(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.running > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  }
}
