import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { startServer } from './bootstrap';
import { ConfigError } from './config/env.schema';
import { EmbeddedPostgresError } from './database/embedded-postgres';

async function main(): Promise<void> {
  const server = await startServer(process.env);
  const logger = new Logger('Shutdown');
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: draining requests, then stopping`);
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('shutdown failed:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  // A bad setting or a database that would not start is the operator's to fix: say what, without
  // a stack trace.
  const known = err instanceof ConfigError || err instanceof EmbeddedPostgresError;
  console.error(known ? err.message : err);
  process.exit(1);
});
