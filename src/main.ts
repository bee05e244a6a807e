import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { RunningServer, startServer, StartupError } from './bootstrap';
import { ConfigError } from './config/env.schema';
import { EmbeddedPostgresError } from './database/embedded-postgres';

async function main(): Promise<void> {
  // Listen for signals from the start: one that arrives while starting (the embedded database,
  // migrations) stops the server as soon as it is up, rather than killing the process and
  // leaving PostgreSQL behind.
  let signalled: string | undefined;
  const running: { server?: RunningServer } = {};
  const shutdown = (signal: string): void => {
    if (signalled) return;
    signalled = signal;
    if (running.server) stop(running.server, signal);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  running.server = await startServer(process.env);
  if (signalled) stop(running.server, signalled);
}

function stop(server: RunningServer, signal: string): void {
  const logger = new Logger('Shutdown');
  const deadline = server.env.SHUTDOWN_TIMEOUT_SECONDS;
  logger.log(`${signal}: draining requests, then stopping (at the latest in ${deadline} s)`);
  // whatever still runs at the deadline (a request stuck on a lock, a pool that will not close)
  // is abandoned: its transaction rolls back when the connection goes, and nothing was answered
  setTimeout(() => {
    logger.error(`still stopping after ${deadline} s: exiting now`);
    process.exit(1);
  }, deadline * 1000);
  server.stop().then(
    (cut) => {
      if (cut)
        logger.error(
          `stopped; ${cut} request(s) had not finished by the deadline and were cut off`,
        );
      else logger.log('stopped');
      process.exit(cut ? 1 : 0);
    },
    (err: unknown) => {
      console.error('shutdown failed:', err);
      process.exit(1);
    },
  );
}

main().catch((err: unknown) => {
  // A bad setting or a database that would not start is the operator's to fix: say what, without
  // a stack trace.
  const known =
    err instanceof ConfigError ||
    err instanceof StartupError ||
    err instanceof EmbeddedPostgresError;
  console.error(known ? err.message : err);
  process.exit(1);
});
