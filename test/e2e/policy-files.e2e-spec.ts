import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { API, TestApp } from '../support/test-app';

describe('policy files in config/policies are loaded once, and never silently overwritten', () => {
  let dir: string;
  let t: TestApp;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ps-policies-'));
    await fs.cp(path.resolve('config/policies'), dir, { recursive: true });
    t = await TestApp.start({ POLICY_DIR: dir });
  });
  afterAll(async () => {
    await t.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Every JSON file under config/policies (each helper's module may ship its own). */
  const files = async (): Promise<number> =>
    (await fs.readdir(path.resolve('config/policies'), { recursive: true })).filter((f) =>
      f.endsWith('.json'),
    ).length;
  const count = async () =>
    Number((await t.sql<{ n: string }>('SELECT count(*) AS n FROM policy_versions'))[0].n);

  it('loads every file as a published national version, with its source and hash', async () => {
    expect(await files()).toBeGreaterThanOrEqual(18);
    expect(await count()).toBe(await files());
    const rows = await t.sql<{
      source_file: string;
      status: string;
      facility_id: string | null;
      notes: string | null;
    }>(`SELECT source_file, status, facility_id, notes FROM policy_versions ORDER BY source_file`);
    expect(rows.every((r) => r.status === 'published' && r.facility_id === null)).toBe(true);
    expect(rows.find((r) => r.source_file === '2015-01-01-baseline.json')?.notes).toMatch(
      /Illustrative/,
    );
    const audit = await t.sql('SELECT 1 FROM audit_events WHERE action = $1', ['policy.load-file']);
    expect(audit).toHaveLength(await files());
  });

  it('loads nothing twice when another instance starts', async () => {
    const twin = await t.startTwin();
    await twin.close();
    expect(await count()).toBe(await files());
  });

  it('refuses to start when a loaded file was edited, naming the file', async () => {
    const file = path.join(dir, 'mci', '2020-04-01.json');
    const original = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, original.replace('277800', '277801'));
    try {
      await expect(t.startTwin()).rejects.toThrow(/mci\/2020-04-01\.json differs/);
      expect(await count()).toBe(await files());
    } finally {
      await fs.writeFile(file, original);
    }
  });

  it('refuses a file with an invalid value, naming the file and the key', async () => {
    const file = path.join(dir, 'zz-broken.json');
    await fs.writeFile(
      file,
      JSON.stringify({
        scope: 'national',
        effectiveOn: '2030-01-01',
        reason: 'x',
        values: { 'parcels.maxWeightGrams': 'heavy' },
      }),
    );
    try {
      await expect(t.startTwin()).rejects.toThrow(/zz-broken\.json: parcels\.maxWeightGrams/);
    } finally {
      await fs.rm(file);
    }
  });

  /** A national file that sets the parcel weight limit from `start`. */
  const weightFile = (
    start: { effectiveOn: string } | { effectiveFrom: string },
    grams: number,
  ) => ({
    scope: 'national',
    ...start,
    reason: 'a file added after the first start',
    values: { 'parcels.maxWeightGrams': grams },
  });

  /** Writes `name` into the policy directory for one start of a twin, then takes it away. */
  const withFile = async (name: string, body: object, work: () => Promise<void>) => {
    const file = path.join(dir, name);
    await fs.writeFile(file, JSON.stringify(body));
    try {
      await work();
    } finally {
      await fs.rm(file, { force: true });
    }
  };

  it('refuses a file added later with a past start: it would change answers already given', async () => {
    const before = await count();
    const f = await t.createFacility();
    const past = `${API}/facilities/${f.id}/policy?at=2021-06-02T00:00:00Z`;
    const at = await t.http.get(past).auth(t.adminToken, { type: 'bearer' }).expect(200);
    await withFile(
      'zz-backdated.json',
      weightFile({ effectiveOn: '2021-06-01' }, 15_000),
      async () => {
        await expect(t.startTwin()).rejects.toThrow(
          /zz-backdated\.json: The version would take effect at 2021-0[56]-\S+, before now\. A file with an earlier start is loaded only at the first start/,
        );
      },
    );
    expect(await count()).toBe(before);
    const again = await t.http.get(past).auth(t.adminToken, { type: 'bearer' }).expect(200);
    expect(again.body).toEqual(at.body);
  });

  it('refuses a file added later that starts sooner than the minimum lead', async () => {
    const soon = new Date(Date.now() + 1_000).toISOString();
    await withFile('zz-soon.json', weightFile({ effectiveFrom: soon }, 15_000), async () => {
      await expect(t.startTwin({ POLICY_MIN_LEAD_SECONDS: 3600 })).rejects.toThrow(
        /zz-soon\.json: The version would take effect at .*publish at least 3600 s ahead/,
      );
    });
  });

  it('refuses two files that set the same key from the same moment, and loads neither', async () => {
    const before = await count();
    const body = (grams: number) => weightFile({ effectiveOn: '2031-01-01' }, grams);
    await withFile('zz-a.json', body(15_000), () =>
      withFile('zz-b.json', body(16_000), async () => {
        await expect(t.startTwin()).rejects.toThrow(
          /zz-b\.json: Version \S+ of this scope already sets parcels\.maxWeightGrams from 20(30-12-31|31-01-01)T/,
        );
      }),
    );
    expect(await count()).toBe(before);
  });

  it('loads a file added later whose start is ahead, as a publication', async () => {
    const before = await count();
    await withFile('zz-ahead.json', weightFile({ effectiveOn: '2032-01-01' }, 18_000), async () => {
      const twin = await t.startTwin();
      await twin.close();
    });
    expect(await count()).toBe(before + 1);
  });
});
