// The day's traffic, from a fixed seed: every event with its local time of day (ms after midnight;
// the country keeps one offset), sorted. Follow-ups (a call's end, a refund, a webhook and its
// redelivery) name the event they follow; the replay sends them only once that one has answered.

const MIN = 60_000;
const HOUR = 60 * MIN;
const CATEGORIES = ['food', 'clothing', 'hygiene', 'books', 'stationery'];
const GOODS = [['tea', 90_000], ['sugar', 60_000], ['soap', 45_000], ['noodles', 30_000], ['biscuits', 75_000], ['socks', 120_000]];

/** The counts of a day at `scale` (1 = the whole country's day). */
export function dayCounts(scale = 1) {
  const n = (x) => Math.max(1, Math.round(x * scale));
  return {
    charges: n(40_000),
    calls: n(20_000),
    parcels: n(2_000),
    visits: n(500),
    deposits: n(1_000),
    staffReads: n(4_000),
    // 1 000 terminals, each revalidating its policy every 10 minutes around the clock
    policyEveryMs: Math.round((10 * MIN) / scale),
  };
}

/**
 * `country`: { facilities: [{ terminals: { commissary, payphone, 'parcel-intake' } }], prisoners }
 * (as seeded). Returns the events, sorted by time.
 */
export function planDay(country, rnd, counts) {
  const { facilities, prisoners } = country;
  const events = [];
  const at = (fromH, toH) => Math.floor(fromH * HOUR + rnd.next() * (toH - fromH) * HOUR);
  const add = (e) => (events.push(e), e);
  const distinct = (filter, n) => rnd.shuffle(prisoners.filter(filter)).slice(0, n);

  // commissary: shop hours; 5 % of wallets nearly empty, 1 % of cards blocked, a few unknown
  // numbers, 1 % over the month's limit; 2 % of charges refunded (half of them in part) later
  const carded = prisoners.filter((p) => p.card);
  for (let i = 0; i < counts.charges; i++) {
    const p = rnd.pick(carded);
    const lines = Array.from({ length: rnd.int(1, 3) }, () => {
      const [description, unitPriceMinor] = rnd.pick(GOODS);
      return { description, quantity: rnd.int(1, 3), unitPriceMinor };
    });
    if (rnd.chance(0.01)) lines.push({ description: 'television', quantity: 1, unitPriceMinor: 25_000_000 });
    const charge = add({
      t: at(9, 18),
      kind: 'charge',
      facility: p.facility,
      terminal: rnd.pick(facilities[p.facility].terminals.commissary),
      cardNumber: rnd.chance(0.005) ? '9398000099999990' : p.card.number,
      items: lines,
    });
    if (rnd.chance(0.02)) {
      const total = lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0);
      add({ t: charge.t + rnd.int(1, 120) * MIN, kind: 'refund', after: charge, amountMinor: rnd.chance(0.5) ? total : Math.ceil(total / 2) });
    }
  }

  // payphones: open 08:00–21:00; one call each for distinct prisoners; 2 % dial a number not on
  // their list; the end is reported 1–14 minutes later
  for (const p of distinct(() => true, counts.calls)) {
    const number = p.numbers.length && !rnd.chance(0.02) ? rnd.pick(p.numbers) : '+77019999999';
    const durationSeconds = rnd.int(20, 14 * 60);
    const call = add({
      t: at(8, 20.7),
      kind: 'call',
      terminal: rnd.pick(facilities[p.facility].terminals.payphone),
      prisonerId: p.id,
      dialedNumber: number,
    });
    add({ t: call.t + durationSeconds * 1000, kind: 'call-end', after: call, durationSeconds });
  }

  // parcel counters: 09:00–17:00; 4 % overweight, 3 % with a prohibited item, a fifth small parcels
  for (const p of distinct(() => true, counts.parcels)) {
    const small = rnd.chance(0.2);
    const weightGrams = rnd.chance(0.04) ? rnd.int(21_000, 26_000) : small ? rnd.int(300, 5_000) : rnd.int(1_000, 19_500);
    const items = Array.from({ length: rnd.int(1, 4) }, () => ({ category: rnd.pick(CATEGORIES), description: 'assorted', quantity: rnd.int(1, 5) }));
    if (rnd.chance(0.03)) items.push({ category: 'mobile-phones', description: 'a phone', quantity: 1 });
    add({
      t: at(9, 17),
      kind: 'parcel',
      facility: p.facility,
      terminal: rnd.pick(facilities[p.facility].terminals['parcel-intake']),
      body: { prisonerId: p.id, kind: small && weightGrams <= 5_000 ? 'small-parcel' : 'parcel', senderName: 'A relative', weightGrams, items },
    });
  }

  // relatives online, all day: long-visit bookings 3–80 days ahead, card deposits (3 % declined by
  // the bank; the webhook 5–60 s later, redelivered later for 10 %)
  const related = (p) => p.relativeId;
  for (const p of distinct(related, counts.visits)) {
    add({
      t: at(0, 24),
      kind: 'visit',
      relativeId: p.relativeId,
      body: {
        prisonerId: p.id,
        startInDays: rnd.int(3, 80),
        days: rnd.int(1, 3),
        visitors: Array.from({ length: rnd.int(1, 2) }, (_, k) => ({ fullName: `Visitor ${k + 1}`, relationship: k ? 'child' : 'spouse' })),
      },
    });
  }
  for (const p of distinct(related, counts.deposits)) {
    const deposit = add({ t: at(0, 23.9), kind: 'deposit', relativeId: p.relativeId, prisonerId: p.id, amountMinor: rnd.int(10, 500) * 10_000, declined: rnd.chance(0.03) });
    const hook = add({ t: deposit.t + rnd.int(5, 60) * 1000, kind: 'webhook', after: deposit });
    if (rnd.chance(0.1)) add({ t: hook.t + rnd.int(1, 30) * MIN, kind: 'webhook', after: hook, redelivery: true });
  }

  // every terminal revalidates its policy every 10 minutes, from a phase of its own
  const terminals = facilities.flatMap((f) => [...f.terminals.commissary, ...f.terminals.payphone, ...f.terminals['parcel-intake']]);
  terminals.forEach((terminal, k) => {
    const phase = Math.floor((k / terminals.length) * counts.policyEveryMs);
    for (let t = phase; t < 24 * HOUR; t += counts.policyEveryMs) add({ t, kind: 'policy', terminal });
  });

  // staff of each facility at their desks, 08:00–20:00
  for (let i = 0; i < counts.staffReads; i++) {
    const p = rnd.pick(prisoners);
    add({ t: at(8, 20), kind: 'staff', facility: p.facility, prisonerId: p.id, what: rnd.weighted({ prisoner: 4, account: 3, allowance: 2, visits: 1 }) });
  }

  return events.sort((a, b) => a.t - b.t);
}
