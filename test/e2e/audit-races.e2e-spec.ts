import { API, TestApp } from '../support/test-app';

/** Runs `n` writers, each creating prisoners one after another, until `stop()` says so. */
function writers(
  t: TestApp,
  facilityIds: string[],
  n: number,
  until: { total?: number; stop?: () => boolean },
): Promise<number> {
  let started = 0;
  const one = async (): Promise<void> => {
    for (;;) {
      if (until.stop?.()) return;
      if (until.total !== undefined && started >= until.total) return;
      started++;
      await t.createPrisoner(facilityIds[started % facilityIds.length]);
    }
  };
  return Promise.all(Array.from({ length: n }, one)).then(() => started);
}

describe('the audit trail under concurrent writes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('verifies 40 times during 8-way concurrent writes without a false alarm', async () => {
    const f = await t.createFacility();
    await t.createPrisoner(f.id);
    let done = false;
    const writing = writers(t, [f.id], 8, { stop: () => done });
    const alarms: unknown[] = [];
    try {
      for (let i = 0; i < 40; i++) {
        const v = await t.http
          .get(`${API}/audit/verify`)
          .auth(t.adminToken, { type: 'bearer' })
          .expect(200);
        if (!v.body.ok)
          alarms.push({
            i,
            firstBrokenEventId: v.body.firstBrokenEventId,
            broken: v.body.chains.filter((c: { ok: boolean }) => !c.ok),
          });
      }
    } finally {
      done = true;
      await writing;
    }
    expect(alarms).toEqual([]);
  });
});
