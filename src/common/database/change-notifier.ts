import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { Env } from '../../config/env.schema';

type Handler = (payload: string) => void;

/**
 * PostgreSQL LISTEN/NOTIFY for the in-memory caches of every app instance: a committed change
 * (a published policy, a revoked key) reaches all instances within milliseconds. One dedicated
 * connection per instance; if it drops, it reconnects and tells every subscriber to resync,
 * since notifications sent meanwhile are lost.
 */
@Injectable()
export class ChangeNotifier implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChangeNotifier.name);
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly resyncHandlers = new Set<() => void>();
  private client?: Client;
  private stopped = false;
  private retryMs = 200;

  constructor(private readonly env: Env) {}

  on(channel: string, handler: Handler): void {
    if (!/^[a-z_]+$/.test(channel)) throw new Error(`bad channel ${channel}`);
    const set = this.handlers.get(channel) ?? new Set();
    const isNew = !this.handlers.has(channel);
    set.add(handler);
    this.handlers.set(channel, set);
    if (isNew && this.client) void this.client.query(`LISTEN ${channel}`).catch(() => undefined);
  }

  /** Called after a (re)connection: anything may have changed unseen. */
  onResync(handler: () => void): void {
    this.resyncHandlers.add(handler);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.env.DATABASE_URL,
      application_name: 'prisoner-services-listener',
    });
    client.on('notification', (n) => {
      for (const h of this.handlers.get(n.channel) ?? []) h(n.payload ?? '');
    });
    client.on('error', (err) => {
      if (this.stopped) return;
      this.logger.warn(`listener connection lost (${err.message}); reconnecting`);
      this.client = undefined;
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    });
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`);
      this.client = client;
      this.retryMs = 200;
      for (const h of this.resyncHandlers) h();
    } catch (err) {
      await client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(`listener cannot connect (${(err as Error).message}); retrying`);
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
    setTimeout(() => void this.connect(), wait).unref();
  }
}
