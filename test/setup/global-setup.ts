import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../../src/database/data-source';
import {
  EmbeddedPostgresHandle,
  startEmbeddedPostgres,
} from '../../src/database/embedded-postgres';
import { databaseUrl } from '../support/database';
import { ensureOpenApiMetadata } from './openapi-metadata';

declare global {
  var __TEST_PG__:
    | { handle?: EmbeddedPostgresHandle; dir?: string; adminUrl: string; template: string }
    | undefined;
}

/**
 * One PostgreSQL for the whole run: a throwaway embedded cluster (or TEST_DATABASE_URL's server),
 * with a template database migrated once. Each test file clones the template.
 */
export default async function globalSetup(): Promise<void> {
  const t0 = Date.now();
  let adminUrl = process.env.TEST_DATABASE_URL;
  let handle: EmbeddedPostgresHandle | undefined;
  let dir: string | undefined;
  if (!adminUrl) {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ps-test-'));
    // mkdtemp makes it 0700; as root, PostgreSQL runs as `postgres`, which must enter it
    await fs.chmod(dir, 0o755);
    const starting = startEmbeddedPostgres({
      dataDir: path.join(dir, 'pg'),
      persistent: false,
      fast: true,
    });
    // while PostgreSQL starts (a child process), the OpenAPI metadata the tests serve
    process.env.TEST_OPENAPI_METADATA = ensureOpenApiMetadata();
    handle = await starting;
    adminUrl = handle.url;
  } else {
    process.env.TEST_OPENAPI_METADATA = ensureOpenApiMetadata();
  }
  const template = `ps_template_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  await runMigrations(databaseUrl(adminUrl, template));
  process.env.TEST_ADMIN_URL = adminUrl;
  process.env.TEST_TEMPLATE_DB = template;
  globalThis.__TEST_PG__ = { handle, dir, adminUrl, template };
  if (process.env.TEST_VERBOSE) console.log(`\ntest database ready in ${Date.now() - t0} ms`);
}
