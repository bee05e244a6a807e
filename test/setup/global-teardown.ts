import { promises as fs } from 'node:fs';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__TEST_PG__;
  if (!state) return;
  if (state.handle) {
    await state.handle.stop();
    if (state.dir) await fs.rm(state.dir, { recursive: true, force: true });
    return;
  }
  // External server: leave it as we found it.
  const admin = new Client({ connectionString: state.adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${state.template}`);
  } finally {
    await admin.end();
  }
}
