import type { WebContext } from '../context';
import { addDays, isLocalDate, todayIn } from '../dates';
import { problemToErrors } from '../errors';
import type { MessageKey } from '../i18n';
import {
  AvailabilityDate,
  BookingValues,
  bookingPage,
  MAX_VISITORS_SHOWN,
  nearestDates,
  WINDOW_DAYS,
} from '../pages/booking.page';
import { FormErrors, noErrors, str } from '../pages/forms';
import { facilityNames, LinkedPrisoner } from '../pages/home.page';
import { LongVisit, visitPage, visitsPage } from '../pages/visit.page';
import type { WebRouter } from '../web.plugin';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function intIn(v: unknown, min: number, max: number, fallback: number): number {
  const n = typeof v === 'string' && /^\d{1,3}$/.test(v) ? Number(v) : NaN;
  return n >= min && n <= max ? n : fallback;
}

/** What the booking page needs: the linked prisoner, the facility, the free dates from `from`. */
async function bookingValues(
  r: WebRouter,
  ctx: WebContext,
  q: Record<string, unknown>,
): Promise<BookingValues> {
  const prisonerId = str(q, 'prisoner');
  const prisoner = await ctx.api.need<LinkedPrisoner>(
    `/relatives/me/prisoners/${UUID.test(prisonerId) ? prisonerId : '00000000-0000-0000-0000-000000000000'}`,
  );
  const facility = (await facilityNames(ctx)).get(prisoner.facilityId)!;
  const earliest = addDays(todayIn(facility.timeZone, r.now()), 1);
  const asked = str(q, 'from');
  const from = isLocalDate(asked) && asked >= earliest ? asked : earliest;
  const days = intIn(q.days, 1, 3, 3);
  const count = intIn(q.visitors, 1, MAX_VISITORS_SHOWN, 1);
  const visitors = Array.from({ length: count }, (_, i) => ({
    fullName: str(q, `visitorName${i + 1}`),
    relationship: str(q, `visitorRelationship${i + 1}`),
  }));
  const availability = await ctx.api.need<{ dates: AvailabilityDate[] }>(
    `/facilities/${facility.id}/long-visits/availability?from=${from}&to=${addDays(from, WINDOW_DAYS - 1)}&visitors=${count}`,
  );
  const startDate = str(q, 'pick') || str(q, 'startDate');
  return {
    prisoner,
    facility,
    from,
    earliest,
    days,
    visitors,
    startDate,
    dates: availability.dates,
  };
}

export function visitRoutes(r: WebRouter): void {
  r.get('/visits/book', { auth: true }, async (ctx, req) => {
    const v = await bookingValues(r, ctx, req.query as Record<string, unknown>);
    return bookingPage(ctx, 200, v, noErrors());
  });

  r.post('/visits/book', { auth: true }, async (ctx, req) => {
    const body = req.body as Record<string, unknown>;
    const v = await bookingValues(r, ctx, body);
    const e: FormErrors = noErrors();
    if (!isLocalDate(v.startDate)) e.fields.startDate = ctx.t('field.startDate');
    v.visitors.forEach((x, i) => {
      if (!x.fullName) e.fields[`visitorName${i + 1}`] = ctx.t('field.visitors');
      if (!x.relationship) e.fields[`visitorRelationship${i + 1}`] = ctx.t('field.relationship');
    });
    if (Object.keys(e.fields).length) return bookingPage(ctx, 400, v, e);
    const res = await ctx.api.post<LongVisit>(
      '/long-visits',
      {
        prisonerId: v.prisoner.prisonerId,
        startDate: v.startDate,
        days: v.days,
        visitors: v.visitors,
      },
      str(body, '_key') || undefined,
    );
    if (res.ok) return ctx.redirect(`/visits/${res.body.id}?booked=1`);
    const ids: Record<string, string> = { startDate: 'startDate', days: 'startDate' };
    v.visitors.forEach((_, i) => {
      ids[`visitors.${i}.fullName`] = `visitorName${i + 1}`;
      ids[`visitors[${i}].fullName`] = `visitorName${i + 1}`;
    });
    const errors = problemToErrors(ctx, res.problem, ids);
    if (res.problem.code === 'LONG_VISIT_NO_ROOM') {
      errors.extra = nearestDates(ctx, res.problem.nearestDates ?? []);
    }
    return bookingPage(ctx, res.status, { ...v, startDate: undefined }, errors);
  });

  r.get('/visits', { auth: true }, async (ctx) => {
    const [page, prisoners] = await Promise.all([
      ctx.api.need<{ items: LongVisit[] }>('/relatives/me/long-visits?limit=100'),
      ctx.api.need<LinkedPrisoner[]>('/relatives/me/prisoners'),
    ]);
    const done = (ctx.req.query as { done?: string }).done;
    const notice = done === 'visitCancelled' ? ctx.t(`done.${done}` as MessageKey) : undefined;
    const names = new Map(prisoners.map((p) => [p.prisonerId, p.fullName]));
    return visitsPage(ctx, page.items, names, { notice, now: r.now() });
  });

  r.get('/visits/:id', { auth: true }, async (ctx, req) => {
    const { id } = req.params as { id: string };
    if (!UUID.test(id)) return r.notFound(ctx);
    const v = await ctx.api.need<LongVisit>(`/long-visits/${id}`);
    const [facilities, prisoners] = await Promise.all([
      facilityNames(ctx),
      ctx.api.need<LinkedPrisoner[]>('/relatives/me/prisoners'),
    ]);
    return visitPage(ctx, v, {
      zone: facilities.get(v.facilityId)?.timeZone ?? 'UTC',
      prisonerName: prisoners.find((p) => p.prisonerId === v.prisonerId)?.fullName ?? '',
      booked: (req.query as { booked?: string }).booked === '1',
      now: r.now(),
    });
  });

  r.post('/visits/:id/cancel', { auth: true }, async (ctx, req) => {
    const { id } = req.params as { id: string };
    if (!UUID.test(id)) return r.notFound(ctx);
    const res = await ctx.api.post(`/long-visits/${id}/cancel`, {});
    if (res.ok) return ctx.redirect('/visits?done=visitCancelled');
    return r.refused(ctx, res.problem);
  });
}
