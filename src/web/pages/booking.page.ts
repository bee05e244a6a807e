import { randomUUID } from 'node:crypto';
import type { WebContext } from '../context';
import { html, Html } from '../html';
import { addDays } from '../dates';
import { errorSummary, FormErrors, relationshipOptions, select } from './forms';
import type { Facility, LinkedPrisoner } from './home.page';

export interface AvailabilityDate {
  date: string;
  bookable: boolean;
  freeRooms: number[];
}

export interface BookingValues {
  prisoner: LinkedPrisoner;
  facility: Facility;
  /** First date shown. */
  from: string;
  /** The earliest date one may book (tomorrow in the facility). */
  earliest: string;
  days: number;
  visitors: { fullName: string; relationship: string }[];
  startDate?: string;
  dates: AvailabilityDate[];
}

export const WINDOW_DAYS = 28;
export const MAX_VISITORS_SHOWN = 3;

function calendar(ctx: WebContext, v: BookingValues, e: FormErrors): Html {
  const err = e.fields.startDate;
  const weekday = (d: string) =>
    ctx.formatDate(d, { weekday: 'short', day: 'numeric', month: 'short' });
  return html`<fieldset
    id="startDate"
    class="${err ? 'invalid' : ''}"
    aria-describedby="calendar-hint${err ? ' startDate-error' : ''}"
  >
    <legend>${ctx.t('book.calendar')}</legend>
    <p class="hint" id="calendar-hint">${ctx.t('book.calendarHint', { days: v.days })}</p>
    ${err ? html`<p class="error" id="startDate-error">${err}</p>` : ''}
    <ul class="calendar">
      ${v.dates.map((d) => {
        const free = d.freeRooms[v.days - 1] ?? 0;
        const open = d.bookable && free > 0;
        const note = !d.bookable
          ? ctx.t('book.notBookable')
          : free > 0
            ? ctx.t('book.free', { count: free })
            : ctx.t('book.full');
        return html`<li>
          <label class="${open ? '' : 'full'}"
            ><input
              type="radio"
              name="startDate"
              value="${d.date}"
              ${open ? '' : html` disabled`}${v.startDate === d.date ? html` checked` : ''}
            /><span><span class="day">${weekday(d.date)}</span> ${note}</span></label
          >
        </li>`;
      })}
    </ul>
  </fieldset>`;
}

function pager(ctx: WebContext, v: BookingValues): Html {
  const link = (from: string, label: string) =>
    html`<a
      href="/visits/book?prisoner=${v.prisoner.prisonerId}&amp;days=${v.days}&amp;visitors=${v.visitors.length}&amp;from=${from}"
      >${label}</a
    >`;
  const earlier =
    addDays(v.from, -WINDOW_DAYS) < v.earliest ? v.earliest : addDays(v.from, -WINDOW_DAYS);
  return html`<nav class="pager" aria-label="${ctx.t('book.calendar')}">
    ${v.from > v.earliest ? link(earlier, ctx.t('book.earlier')) : html`<span></span>`}${link(addDays(v.from, WINDOW_DAYS), ctx.t('book.later'))}
  </nav>`;
}

function visitorFields(ctx: WebContext, v: BookingValues, e: FormErrors): Html {
  return html`<fieldset>
    <legend>${ctx.t('book.visitors')}</legend>
    ${v.visitors.map(
      (vis, i) =>
        html`<fieldset class="visitor">
          <legend>${ctx.t('book.visitor', { n: i + 1 })}</legend>
          <div class="field${e.fields[`visitorName${i + 1}`] ? ' invalid' : ''}">
            <label for="visitorName${i + 1}">${ctx.t('book.visitorName')}</label>
            ${e.fields[`visitorName${i + 1}`] ? html`<p class="error" id="visitorName${i + 1}-error">${e.fields[`visitorName${i + 1}`]}</p>` : ''}
            <input
              id="visitorName${i + 1}"
              name="visitorName${i + 1}"
              value="${vis.fullName}"
              autocomplete="${i === 0 ? 'name' : 'off'}"
              required${e.fields[`visitorName${i + 1}`] ? html` aria-invalid="true" aria-describedby="visitorName${i + 1}-error"` : ''}
            />
          </div>
          ${select(e, { id: `visitorRelationship${i + 1}`, label: ctx.t('book.visitorRelationship'), value: vis.relationship, placeholder: ctx.t('form.choose'), options: relationshipOptions(ctx) })}
        </fieldset>`,
    )}
  </fieldset>`;
}

/** Free dates on a calendar (radio buttons: keyboard and screen readers need nothing more), days, visitors. */
export function bookingPage(ctx: WebContext, status: number, v: BookingValues, e: FormErrors) {
  const days = [1, 2, 3].map((d) => ({
    value: String(d),
    label: ctx.t('book.daysOption', { days: d }),
  }));
  const counts = Array.from({ length: MAX_VISITORS_SHOWN }, (_, i) => ({
    value: String(i + 1),
    label: String(i + 1),
  }));
  const none: FormErrors = { fields: {}, form: [] };
  return ctx.render(status, {
    title: ctx.t('book.title'),
    body: html`<p>${ctx.t('book.with', { name: v.prisoner.fullName })} · ${v.facility.name}</p>
      ${errorSummary(ctx, e)}
      <form method="get" action="/visits/book" class="choose">
        <input type="hidden" name="prisoner" value="${v.prisoner.prisonerId}" /><input
          type="hidden"
          name="from"
          value="${v.from}"
        />
        ${select(none, { id: 'days', label: ctx.t('book.days'), value: String(v.days), options: days })}
        ${select(none, { id: 'visitors', label: ctx.t('book.visitors'), value: String(v.visitors.length), options: counts })}
        <button type="submit" class="secondary">${ctx.t('book.showDates')}</button>
      </form>
      <form method="post" action="/visits/book" id="book-form" novalidate>
        ${ctx.formGuard()}
        <input type="hidden" name="_key" value="${randomUUID()}" />
        <input type="hidden" name="prisoner" value="${v.prisoner.prisonerId}" />
        <input type="hidden" name="days" value="${v.days}" /><input
          type="hidden"
          name="from"
          value="${v.from}"
        />
        <input type="hidden" name="visitors" value="${v.visitors.length}" />
        ${pager(ctx, v)} ${calendar(ctx, v, e)} ${visitorFields(ctx, v, e)}
        <button type="submit">${ctx.t('book.submit')}</button>
      </form>`,
  });
}

/** The other dates the API offered when the room was taken: each a button that books it at once. */
export function nearestDates(ctx: WebContext, dates: string[]): Html {
  if (!dates.length) return html`<p>${ctx.t('book.noNearest')}</p>`;
  return html`<p>${ctx.t('book.nearest')}</p>
    <ul class="actions">
      ${dates.map(
        (d) =>
          html`<li>
            <button type="submit" form="book-form" name="pick" value="${d}" class="secondary">
              ${ctx.t('book.pick', { date: ctx.formatDate(d) })}
            </button>
          </li>`,
      )}
    </ul>`;
}
