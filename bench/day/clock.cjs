// Preloaded into the server of the day's replay (`node --require`): its clock reads the day being
// replayed. BENCH_CLOCK_OFFSET_MS is added to every "now" (Date.now(), new Date(), Date()); time
// then runs at its real pace. The build itself is unchanged: the app takes "now" only from its
// Clock, which reads Date, so every decision (payphone hours, local dates, months) is taken on the
// replayed day.
'use strict';
const offset = Number(process.env.BENCH_CLOCK_OFFSET_MS || 0);
if (offset) {
  const RealDate = Date;
  const now = () => RealDate.now() + offset;
  function DayDate(...args) {
    if (!new.target) return new RealDate(now()).toString();
    return args.length === 0 ? new RealDate(now()) : new RealDate(...args);
  }
  DayDate.prototype = RealDate.prototype;
  DayDate.now = now;
  DayDate.parse = RealDate.parse;
  DayDate.UTC = RealDate.UTC;
  globalThis.Date = DayDate;
}
