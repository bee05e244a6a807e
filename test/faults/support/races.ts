import { must } from './http';
import { callOp, Op, send } from './load';
import type { Rng } from './seed';
import type { ServerProcess } from './server';
import { localDate, Prisoner, World } from './world';

/**
 * Races for payphone slots and visit rooms: plans drawn from a seed, run against one server or
 * several (each request to one drawn from the seed), counted the same way, so two instances can
 * be compared with one and with the rules.
 */
export interface SlotsPlan {
  /** Per prisoner of the calls race: rounds of `racers` authorisations at once, then the end. */
  calls: Array<{ prisoner: number; rounds: number; racers: number[]; durations: number[] }>;
  /** The phone's slots of tomorrow booked, each by `racers` officers at once. */
  phoneSlots: number;
  phoneRacers: number[];
  /** Room race: these prisoners' relatives each book every one of these dates (1 day). */
  roomPrisoners: number[];
  roomDays: number[];
  /** Entitlement race: these prisoners' relatives book this many dates each at once. */
  entitlementPrisoners: number[];
  entitlementDays: number[][];
}

/** Prisoners 0-3 race for calls, 4-5 for their yearly entitlement, 2-7 for rooms (8 prisoners). */
export function planSlots(rng: Rng, world: World): SlotsPlan {
  const perYear = world.prisoners[4].longVisitsPerYear;
  return {
    calls: [0, 1, 2, 3].map((i) => {
      const rounds = world.prisoners[i].callsPerMonth + rng.int(1, 2);
      return {
        prisoner: i,
        rounds,
        racers: Array.from({ length: rounds }, () => rng.int(2, 5)),
        // at least a second: a call that never connected does not count against the allowance
        durations: Array.from({ length: rounds }, () => rng.int(1, 300)),
      };
    }),
    phoneSlots: rng.int(3, 6),
    phoneRacers: Array.from({ length: 6 }, () => rng.int(2, 5)),
    roomPrisoners: [2, 3, 4, 5, 6, 7],
    roomDays: [2, 4, 6].slice(0, Math.min(3, perYear - 1)),
    // days 8 to 29, the two prisoners' dates apart: a room is always free for them
    entitlementPrisoners: [0, 1],
    entitlementDays: [0, 1].map((k) =>
      Array.from({ length: perYear + rng.int(1, 3) }, (_, d) => 8 + 2 * d + k),
    ),
  };
}

export interface SlotsRun {
  calls: Op[];
  phoneBookings: Op[];
  visits: Op[];
}

/** Runs the plan on `world`, every request to the server `pick()` draws; all races at once. */
export async function runSlots(
  rng: Rng,
  world: World,
  plan: SlotsPlan,
  pick: () => ServerProcess,
): Promise<SlotsRun> {
  const run: SlotsRun = { calls: [], phoneBookings: [], visits: [] };
  const n = (): number => run.calls.length + run.phoneBookings.length + run.visits.length;
  const token = world.adminToken;

  // tomorrow's slots of the phone, in its facility's time
  const day = await must(
    200,
    pick().url,
    'GET',
    `/payphones/${world.phoneTerminalId}/slots?date=${localDate(world.timeZone, 1)}`,
    { token },
  );
  const slots = (day.body.slots as Array<{ startsAt: string; endsAt: string }>).slice(
    0,
    plan.phoneSlots,
  );
  const bookingRaces = slots.map((slot, s) =>
    Array.from({ length: plan.phoneRacers[s] }, (_, r): Op => {
      const prisoner = world.prisoners[(s + r) % world.prisoners.length];
      return {
        n: n(),
        kind: 'phone-booking',
        prisoner,
        key: rng.uuid(),
        path: `/payphones/${world.phoneTerminalId}/bookings`,
        token,
        amountMinor: 0,
        body: {
          prisonerId: prisoner.id,
          startsAt: slot.startsAt,
          minutes: (Date.parse(slot.endsAt) - Date.parse(slot.startsAt)) / 60_000,
        },
        tries: [],
        differing: [],
      };
    }),
  );
  run.phoneBookings.push(...bookingRaces.flat());

  const visit = (p: Prisoner, days: number): Op => ({
    n: n(),
    kind: 'visit',
    prisoner: p,
    key: rng.uuid(),
    path: '/long-visits',
    token: p.relativeToken,
    amountMinor: 0,
    body: {
      prisonerId: p.id,
      startDate: localDate(world.timeZone, days),
      days: 1,
      visitors: [{ fullName: 'Visitor', relationship: 'parent' }],
    },
    tries: [],
    differing: [],
  });
  for (const i of plan.roomPrisoners)
    for (const d of plan.roomDays) run.visits.push(visit(world.prisoners[i], d));
  plan.entitlementPrisoners.forEach((i, k) => {
    for (const d of plan.entitlementDays[k]) run.visits.push(visit(world.prisoners[i], d));
  });

  // each request's server, drawn before anything is sent: the seed replays the same split
  const oneShots = [...run.phoneBookings, ...run.visits].map((o) => ({ o, to: pick() }));
  const callRounds = plan.calls.map((c) =>
    Array.from({ length: c.rounds }, (_, r) =>
      Array.from({ length: c.racers[r] }, () => {
        const o = callOp(rng, world, world.prisoners[c.prisoner], n(), rng.uuid());
        o.end!.body = { durationSeconds: c.durations[r] };
        run.calls.push(o);
        return { o, to: pick(), endTo: pick() };
      }),
    ),
  );

  await Promise.all([
    ...oneShots.map(({ o, to }) => send(to.url, o, 60_000)),
    // a prisoner's rounds one after the other: a round's racers at once, then its call's end
    ...callRounds.map(async (rounds) => {
      for (const round of rounds) {
        await Promise.all(round.map(({ o, to }) => send(to.url, o, 60_000)));
        for (const { o, endTo } of round) {
          if (o.answer?.body.outcome !== 'authorized') continue;
          o.end!.path = `/calls/${o.answer.body.id}/end`;
          await send(endTo.url, o.end!, 60_000);
        }
      }
    }),
  ]);
  return run;
}

/** What a run came to, per prisoner and per slot: what must be the same with one instance or two. */
export function countSlots(world: World, plan: SlotsPlan, run: SlotsRun) {
  const byPrisoner = (ops: Op[], p: Prisoner) => ops.filter((o) => o.prisoner === p);
  return {
    calls: plan.calls.map((c) => {
      const mine = byPrisoner(run.calls, world.prisoners[c.prisoner]);
      return {
        authorized: mine.filter((o) => o.answer?.body.outcome === 'authorized').length,
        ended: mine.filter((o) => o.end!.answer).length,
        chargedMinor: mine.reduce(
          (s, o) => s + ((o.end!.answer?.body.chargedMinor as number) ?? 0),
          0,
        ),
      };
    }),
    phoneSlotsBooked: chunk(run.phoneBookings, plan.phoneRacers).map(
      (race) => race.filter((o) => o.answer).length,
    ),
    roomsBookedPerDate: plan.roomDays.map(
      (d) =>
        run.visits.filter(
          (o) =>
            o.answer &&
            plan.roomPrisoners.some((i) => world.prisoners[i] === o.prisoner) &&
            o.body.startDate === localDate(world.timeZone, d),
        ).length,
    ),
    entitlementBooked: plan.entitlementPrisoners.map(
      (i) => byPrisoner(run.visits, world.prisoners[i]).filter((o) => o.answer).length,
    ),
  };
}

/** What the rules say the counts are. */
export function slotRules(world: World, plan: SlotsPlan, tariffMinorPerMinute: number) {
  return {
    calls: plan.calls.map((c) => {
      const allowed = Math.min(c.rounds, world.prisoners[c.prisoner].callsPerMonth);
      const charged = c.durations
        .slice(0, allowed)
        .reduce((s, d) => s + Math.ceil(d / 60) * tariffMinorPerMinute, 0);
      return { authorized: allowed, ended: allowed, chargedMinor: charged };
    }),
    phoneSlotsBooked: plan.phoneRacers.slice(0, plan.phoneSlots).map(() => 1),
    roomsBookedPerDate: plan.roomDays.map(() =>
      Math.min(world.roomIds.length, plan.roomPrisoners.length),
    ),
    entitlementBooked: plan.entitlementPrisoners.map((i, k) => {
      // the entitlement is per calendar year of the visit's start
      const years = new Map<string, number>();
      for (const d of plan.entitlementDays[k]) {
        const y = localDate(world.timeZone, d).slice(0, 4);
        years.set(y, (years.get(y) ?? 0) + 1);
      }
      const perYear = world.prisoners[i].longVisitsPerYear;
      return [...years.values()].reduce((s, count) => s + Math.min(count, perYear), 0);
    }),
  };
}

function chunk<T>(items: T[], sizes: number[]): T[][] {
  const out: T[][] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= items.length) break;
    out.push(items.slice(at, at + size));
    at += size;
  }
  return out;
}
