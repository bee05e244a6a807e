import { tzDataProblem } from './tz-data';

describe('the time-zone data a Node must have', () => {
  it('accepts 2024a, the release that moved Kazakhstan to UTC+5, and any later one', () => {
    expect(['2024a', '2024b', '2025c', '2030a'].map((v) => tzDataProblem(v))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('refuses older data, naming the version found and why', () => {
    for (const old of ['2023c', '2022g', '2019a']) {
      const problem = tzDataProblem(old, 'Node.js v20.0.0');
      expect(problem).toContain(`Node.js v20.0.0 has time-zone data ${old}, older than 2024a`);
      expect(problem).toContain('Asia/Almaty');
    }
  });

  it('refuses a Node that does not say (no ICU, or an unreadable version)', () => {
    expect(tzDataProblem(undefined)).toContain('process.versions.tz = undefined');
    expect(tzDataProblem('2024')).toContain('process.versions.tz = 2024');
  });

  it('orders letters after the year, as IANA does', () => {
    expect(tzDataProblem('2023z')).toBeDefined();
    expect(tzDataProblem('2024aa')).toBeUndefined();
  });
});
