import { execFile } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CheckpointSchedulerService } from '../../src/modules/audit/checkpoint-scheduler.service';
import { rootHash, signedText } from '../../src/modules/audit/domain/checkpoint';
import { API, TestApp } from '../support/test-app';
import { rewriteEvent } from '../support/audit-tamper';

const execFileP = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
/** The built verifier (`npm test` builds before jest runs). */
const VERIFIER_MODULE = path.join(ROOT, 'dist/src/cli/verify-audit.js');

/** `npx prisoner-services-verify …`, as the oversight body runs it: its exit status and output. */
async function verifier(
  exportFile: string,
  checkpoints: string,
  publicKey: string,
): Promise<{ code: number; stdout: string }> {
  const args = ['--export', exportFile, '--checkpoints', checkpoints, '--public-key', publicKey];
  try {
    const { stdout } = await execFileP(
      process.execPath,
      [path.join(ROOT, 'bin/prisoner-services-verify.js'), ...args],
      { cwd: ROOT },
    );
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout + e.stderr };
  }
}

interface Checkpoint {
  id: string;
  takenAt: string;
  chains: Array<{ chainKey: string; length: number; headHash: string }>;
  rootHash: string;
  keyId: string;
  signature: string;
  algorithm: string;
  version: string;
}

describe('signed checkpoints of the audit trail, and the proof that the trail still holds them', () => {
  let t: TestApp;
  let auditor: string;
  beforeAll(async () => {
    t = await TestApp.start();
    auditor = (await t.createStaff(['auditor'], [])).token;
  });
  // the last test rewrites history on purpose
  afterAll(() => t.close({ auditIntact: false }));

  const checkpoint = async (token = auditor): Promise<Checkpoint> =>
    (await t.http.get(`${API}/audit/checkpoint`).auth(token, { type: 'bearer' }).expect(200))
      .body as Checkpoint;
  const consistency = (from: string, token = auditor) =>
    t.http.get(`${API}/audit/consistency`).query({ from }).auth(token, { type: 'bearer' });
  const verifyAll = async () =>
    (await t.http.get(`${API}/audit/verify`).auth(auditor, { type: 'bearer' }).expect(200)).body;

  it('signs every chain’s length and head hash with the key it publishes, and keeps it', async () => {
    const f = await t.createFacility();
    await t.createPrisoner(f.id);
    const cp = await checkpoint();
    const key = (await t.http.get(`${API}/audit/public-key`).expect(200)).body;
    expect(key).toMatchObject({ algorithm: 'Ed25519', keyId: cp.keyId });
    const signature = Buffer.from(cp.signature, 'base64');
    const pub = createPublicKey(key.publicKeyPem);
    expect(verify(null, Buffer.from(signedText(cp as never)), pub, signature)).toBe(true);
    expect(cp.rootHash).toBe(rootHash(cp.chains));
    // the same heads as verification reads
    const heads = await t.sql<{ chain_key: string; last_seq: string; last_hash: string }>(
      'SELECT chain_key, last_seq, last_hash FROM audit_chain_heads ORDER BY chain_key',
    );
    expect(cp.chains).toEqual(
      heads.map((h) => ({
        chainKey: h.chain_key,
        length: Number(h.last_seq),
        headHash: h.last_hash,
      })),
    );
    expect(cp.chains.find((c) => c.chainKey === f.id)?.length).toBe(1);
    const [kept] = await t.sql<{ root_hash: string; taken_by: string }>(
      'SELECT root_hash, taken_by FROM audit_checkpoints WHERE id = $1',
      [cp.id],
    );
    expect(kept.root_hash).toBe(cp.rootHash);
    expect(kept.taken_by).not.toBeNull();
  });

  it('gives a scoped auditor a checkpoint of their facilities’ chains only', async () => {
    const a = await t.createFacility();
    const b = await t.createFacility();
    await t.createPrisoner(a.id);
    await t.createPrisoner(b.id);
    const scoped = await t.createStaff(['auditor'], [a.id]);
    const cp = await checkpoint(scoped.token);
    expect(new Set(cp.chains.map((c) => c.chainKey.split('#')[0]))).toEqual(new Set([a.id]));
    expect(cp.chains).toHaveLength(8);
    // and checks a national checkpoint on those chains alone
    const national = await checkpoint();
    const res = await consistency(national.id, scoped.token).expect(200);
    expect(res.body).toMatchObject({ ok: true, chainsChecked: 8, firstDivergence: null });
  });

  it('keeps checkpoints in a table the database refuses to change', async () => {
    const cp = await checkpoint();
    await expect(
      t.sql(`UPDATE audit_checkpoints SET root_hash = $2 WHERE id = $1`, [cp.id, 'f'.repeat(64)]),
    ).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM audit_checkpoints WHERE id = $1`, [cp.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(t.sql(`TRUNCATE audit_checkpoints`)).rejects.toThrow(/append-only/);
  });

  it('takes its own checkpoints on a schedule, once per period whatever the instances', async () => {
    const scheduler = t.app.get(CheckpointSchedulerService);
    t.setNow('2031-01-01T00:00:00Z');
    try {
      const id = await scheduler.tick();
      expect(id).not.toBeNull();
      const [row] = await t.sql<{ taken_by: string | null; taken_at: Date; n: number }>(
        `SELECT taken_by, taken_at, jsonb_array_length(chains) AS n FROM audit_checkpoints WHERE id = $1`,
        [id],
      );
      expect(row.taken_by).toBeNull();
      expect(row.taken_at.toISOString()).toBe('2031-01-01T00:00:00.000Z');
      // every chain, the national one included
      expect(row.n).toBe((await t.sql('SELECT 1 FROM audit_chain_heads')).length);
      // another instance's timer a moment later leaves it at that; half a period on, it takes one
      t.setNow('2031-01-01T00:10:00Z');
      expect(await scheduler.tick()).toBeNull();
      t.setNow('2031-01-01T00:31:00Z');
      expect(await scheduler.tick()).not.toBeNull();
      expect((await consistency(id!).expect(200)).body.ok).toBe(true);
    } finally {
      t.setNow(null);
    }
  });

  it('refuses a checkpoint it did not sign, and says what is wrong with one that is none', async () => {
    const cp = await checkpoint();
    const forged = {
      ...cp,
      chains: cp.chains.map((c, i) => (i === 0 ? { ...c, length: c.length + 1 } : c)),
    };
    forged.rootHash = rootHash(forged.chains);
    const refused = await consistency(JSON.stringify(forged)).expect(422);
    expect(refused.body).toMatchObject({
      code: 'CHECKPOINT_NOT_AUTHENTIC',
      detail: expect.stringMatching(/signature does not verify/),
    });
    await consistency(
      JSON.stringify({
        ...cp,
        signature: cp.signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
      }),
    ).expect(422);
    const bad = await consistency(JSON.stringify({ ...cp, chains: 'all' })).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'from', message: expect.any(String) }]);
    await consistency('yesterday').expect(400);
    await consistency('').expect(400);
    await t.http.get(`${API}/audit/consistency`).auth(auditor, { type: 'bearer' }).expect(400);
    await consistency('00000000-0000-4000-8000-000000000000').expect(404);
    // the checkpoint itself, whole, is as good as its id
    expect((await consistency(JSON.stringify(cp)).expect(200)).body.ok).toBe(true);
  });

  /** The trail as an oversight body downloads it: the export of every chain, into a file. */
  const download = async (dir: string): Promise<string> => {
    const res = await t.http
      .get(`${API}/audit/export`)
      .auth(auditor, { type: 'bearer' })
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (text += c));
        r.on('end', () => done(null, text));
      })
      .expect(200);
    const file = path.join(dir, `trail-${Date.now()}.ndjson`);
    await fs.writeFile(file, res.body as string);
    return file;
  };

  it('proves an earlier checkpoint still held, here and in the verifier; then names the chain and position where history was rewritten and rehashed', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ps-oversight-'));
    try {
      // what the oversight body keeps: the public key, and a checkpoint (one JSON file each)
      const key = (await t.http.get(`${API}/audit/public-key`).expect(200)).body;
      const keyFile = path.join(dir, 'public-key.json');
      await fs.writeFile(keyFile, JSON.stringify(key));
      const kept = path.join(dir, 'kept');
      await fs.mkdir(kept);

      const f = await t.createFacility();
      // one after another: each lands in the facility's first lane
      for (let i = 0; i < 4; i++) await t.createPrisoner(f.id);
      const cp = await checkpoint();
      await fs.writeFile(path.join(kept, 'checkpoint-1.json'), JSON.stringify(cp, null, 2));
      expect(cp.chains.find((c) => c.chainKey === f.id)).toMatchObject({ length: 4 });
      for (let i = 0; i < 2; i++) await t.createPrisoner(f.id);

      const held = await consistency(cp.id).expect(200);
      expect(held.body).toMatchObject({ ok: true, checkpointId: cp.id, firstDivergence: null });
      expect(held.body.chainsChecked).toBe(cp.chains.length);
      const before = await verifier(await download(dir), kept, keyFile);
      expect(before.stdout).toMatch(/every hash recomputed, every link checked: ok/);
      expect(before.stdout).toMatch(/VERDICT: OK/);
      expect(before.code).toBe(0);

      // the database's superuser rewrites the second event and rehashes all after it, and the head
      await rewriteEvent(t, f.id, 2, { fullName: 'Someone Else' });
      expect(await verifyAll()).toMatchObject({ ok: true, firstBrokenEventId: null });

      const broken = await consistency(cp.id).expect(200);
      expect(broken.body).toMatchObject({
        ok: false,
        firstDivergence: {
          chainKey: f.id,
          facilityId: f.id,
          position: 4,
          reason: 'head-differs',
          expected: { length: 4, headHash: cp.chains.find((c) => c.chainKey === f.id)!.headHash },
        },
      });
      expect(broken.body.firstDivergence.foundHash).toMatch(/^[0-9a-f]{64}$/);
      expect(broken.body.firstDivergence.foundHash).not.toBe(
        broken.body.firstDivergence.expected.headHash,
      );

      // the verifier, on a fresh export: the export verifies on its own, the checkpoint does not hold
      const after = await verifier(await download(dir), kept, keyFile);
      expect(after.stdout).toMatch(/every hash recomputed, every link checked: ok/);
      expect(after.stdout).toContain(`VERDICT: FAILED — first broken: chain ${f.id}, position 4:`);
      expect(after.code).toBe(1);

      // a checkpoint the body was handed that the key did not sign is refused
      const forgedDir = path.join(dir, 'forged');
      await fs.mkdir(forgedDir);
      const now = await checkpoint();
      const chains = now.chains.map((c) => (c.chainKey === f.id ? { ...c, length: 3 } : c));
      const forged = { ...now, chains, rootHash: rootHash(chains) };
      await fs.writeFile(path.join(forgedDir, 'forged.json'), JSON.stringify(forged));
      const refused = await verifier(await download(dir), forgedDir, keyFile);
      expect(refused.stdout).toMatch(
        /VERDICT: FAILED — first broken: checkpoint forged\.json is refused: the signature does not verify/,
      );
      expect(refused.code).toBe(1);
      await consistency(JSON.stringify(forged)).expect(422);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('runs the verifier on plain Node: nothing outside the standard library and its own files', async () => {
    const { stdout } = await execFileP(process.execPath, [
      '-e',
      `require(${JSON.stringify(VERIFIER_MODULE)});
       console.log(JSON.stringify(Object.keys(require.cache)))`,
    ]);
    const loaded = JSON.parse(stdout) as string[];
    expect(
      loaded.filter((m) => !m.startsWith(path.dirname(path.dirname(VERIFIER_MODULE)))),
    ).toEqual([]);
    expect(loaded.length).toBeGreaterThan(2);
    const usage = await verifier('missing.ndjson', 'nowhere', 'none.pem');
    expect(usage.code).toBe(2);
  });
});
