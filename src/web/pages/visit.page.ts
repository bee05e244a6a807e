import type { WebContext } from '../context';
import { html, Html } from '../html';
import { hasMessage, LOCALES, MessageKey } from '../i18n';

export interface LongVisit {
  id: string;
  reference: string;
  status: 'requested' | 'approved' | 'rejected' | 'cancelled' | 'completed';
  statusReason: string | null;
  facilityId: string;
  prisonerId: string;
  startDate: string;
  endDate: string;
  days: number;
  startsAt: string;
  endsAt: string;
  visitors: { fullName: string; relationship: string }[];
  requiredDocuments: string[];
}

export function documentName(ctx: WebContext, code: string): string {
  const key = `doc.${code}`;
  return hasMessage(key) ? ctx.t(key) : code;
}

function at(ctx: WebContext, instant: string, zone: string): string {
  return new Intl.DateTimeFormat(LOCALES[ctx.lang], {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: zone,
  }).format(new Date(instant));
}

export function statusBadge(ctx: WebContext, v: LongVisit): Html {
  return html`<span class="status ${v.status}"
    >${ctx.t(`visitStatus.${v.status}` as MessageKey)}</span
  >`;
}

export function cancellable(v: LongVisit, now: Date): boolean {
  return (v.status === 'requested' || v.status === 'approved') && new Date(v.startsAt) > now;
}

export function cancelForm(ctx: WebContext, v: LongVisit): Html {
  return html`<form method="post" action="/visits/${v.id}/cancel">
    ${ctx.formGuard()}<button type="submit" class="danger">
      ${ctx.t('visit.cancel')}<span class="visually-hidden"> ${v.reference}</span>
    </button>
  </form>`;
}

/** One booking, with the documents each visitor brings, as the booking answer listed them. */
export function visitPage(
  ctx: WebContext,
  v: LongVisit,
  o: { zone: string; prisonerName: string; booked: boolean; now: Date },
) {
  return ctx.render(200, {
    title: ctx.t('visit.title', { reference: v.reference }),
    body: html`${o.booked ? html`<p class="notice" role="status">${ctx.t('visit.booked')}</p>` : ''}
      <p>${ctx.t('book.with', { name: o.prisonerName })}</p>
      <dl>
        <dt>${ctx.t('visit.reference')}</dt>
        <dd>${v.reference}</dd>
        <dt>${ctx.t('visit.status')}</dt>
        <dd>
          ${statusBadge(ctx, v)}${v.statusReason ? html`<br />${ctx.t('visit.reason')}: ${v.statusReason}` : ''}
        </dd>
        <dt>${ctx.t('visit.dates')}</dt>
        <dd>
          ${ctx.t('visit.from', { start: at(ctx, v.startsAt, o.zone), end: at(ctx, v.endsAt, o.zone) })}
        </dd>
        <dt>${ctx.t('visit.visitors')}</dt>
        <dd>
          <ul>
            ${v.visitors.map((x) => html`<li>${x.fullName} (${ctx.t(`relationship.${x.relationship}` as MessageKey)})</li>`)}
          </ul>
        </dd>
      </dl>
      <section aria-labelledby="docs-h">
        <h2 id="docs-h">${ctx.t('visit.documents')}</h2>
        <ul class="documents">
          ${v.requiredDocuments.map((d) => html`<li data-document="${d}">${documentName(ctx, d)}</li>`)}
        </ul>
      </section>
      ${cancellable(v, o.now) ? cancelForm(ctx, v) : ''}
      <p><a href="/visits">${ctx.t('visit.back')}</a></p>`,
  });
}

export function visitsPage(
  ctx: WebContext,
  visits: LongVisit[],
  names: Map<string, string>,
  o: { notice?: string; now: Date },
) {
  return ctx.render(200, {
    title: ctx.t('visits.title'),
    body: html`${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : ''}
    ${
      visits.length
        ? html`<ul class="cards">
            ${visits.map(
              (v) =>
                html`<li class="card">
                  <h2>${v.reference}</h2>
                  <p>${names.get(v.prisonerId) ?? ''}</p>
                  <p>${ctx.formatDate(v.startDate)} – ${ctx.formatDate(v.endDate)}</p>
                  <p>${statusBadge(ctx, v)}</p>
                  <ul class="actions">
                    <li>
                      <a class="button secondary" href="/visits/${v.id}"
                        >${ctx.t('visits.open')}<span class="visually-hidden">
                          ${v.reference}</span
                        ></a
                      >
                    </li>
                    ${cancellable(v, o.now) ? html`<li>${cancelForm(ctx, v)}</li>` : ''}
                  </ul>
                </li>`,
            )}
          </ul>`
        : html`<p>${ctx.t('visits.none')}</p>`
    }`,
  });
}
