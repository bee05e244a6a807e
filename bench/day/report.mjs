// The day's table: per kind of request, how many, their rate over the replay's wall time, p50/p99,
// answers by status and the unexpected ones; CPU per request of the server and PostgreSQL.

export function percentile(sorted, p) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (x) => +x.toFixed(1);

export function dayRows(stats, wallMs) {
  const rows = [];
  let total = 0;
  const all = [];
  for (const s of [...stats.byLabel.values()].sort((a, b) => b.latencies.length - a.latencies.length)) {
    const sorted = s.latencies.slice().sort((a, b) => a - b);
    total += sorted.length;
    for (const ms of s.latencies) all.push(ms); // not push(...): 144 000 arguments overflow the stack
    const fivexx = Object.entries(s.statuses).filter(([c]) => Number(c) >= 500).reduce((n, [, k]) => n + k, 0);
    rows.push({
      kind: s.label,
      requests: sorted.length,
      perSecond: Math.round(sorted.length / (wallMs / 1000)),
      p50Ms: round(percentile(sorted, 50)),
      p99Ms: round(percentile(sorted, 99)),
      statuses: [...Object.entries(s.statuses), ...Object.entries(s.outcomes)].map(([c, n]) => `${c}×${n}`).join(' '),
      unexpected: s.unexpected + s.errors,
      '5xx': fivexx,
    });
  }
  all.sort((a, b) => a - b);
  rows.push({
    kind: 'all',
    requests: total,
    perSecond: Math.round(total / (wallMs / 1000)),
    p50Ms: round(percentile(all, 50)),
    p99Ms: round(percentile(all, 99)),
    statuses: '',
    unexpected: rows.reduce((n, r) => n + r.unexpected, 0),
    '5xx': rows.reduce((n, r) => n + r['5xx'], 0),
  });
  return rows;
}

/** The unexpected answers, a few of each kind, to say what went wrong. */
export function samples(stats) {
  return [...stats.byLabel.values()].filter((s) => s.samples.length).map((s) => `${s.label}: ${s.samples.join(' | ')}`);
}
