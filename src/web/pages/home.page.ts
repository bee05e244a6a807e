import type { WebContext } from '../context';
import { html } from '../html';
import type { MessageKey } from '../i18n';

export interface LinkView {
  id: string;
  facilityId: string;
  prisonerPersonalNumber: string;
  relationship: string;
  status: 'pending' | 'approved' | 'rejected';
  decisionNote: string | null;
  createdAt: string;
}

export interface LinkedPrisoner {
  linkId: string;
  prisonerId: string;
  fullName: string;
  facilityId: string;
  relationship: string;
}

export interface Facility {
  id: string;
  code: string;
  name: string;
  timeZone: string;
}

/** The facilities' directory (relatives see all of it), by id. */
export async function facilityNames(ctx: WebContext): Promise<Map<string, Facility>> {
  const page = await ctx.api.need<{ items: Facility[] }>('/facilities?limit=500');
  return new Map(page.items.map((f) => [f.id, f]));
}

/** The signed-in relative's start page: the prisoners they are linked to, with what they can do, and their requests. */
export async function homePage(ctx: WebContext, notice?: string) {
  const [links, prisoners, facilities] = await Promise.all([
    ctx.api.need<LinkView[]>('/relatives/me/links'),
    ctx.api.need<LinkedPrisoner[]>('/relatives/me/prisoners'),
    facilityNames(ctx),
  ]);
  const fname = (id: string) => facilities.get(id)?.name ?? '';
  const open = links.filter((l) => l.status !== 'approved');
  return ctx.render(200, {
    title: ctx.t('home.title'),
    body: html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
      <section aria-labelledby="prisoners-h">
        <h2 id="prisoners-h">${ctx.t('home.prisoners')}</h2>
        ${
          prisoners.length
            ? html`<ul class="cards">
                ${prisoners.map(
                  (p) =>
                    html`<li class="card">
                      <h3>${p.fullName}</h3>
                      <p>
                        ${fname(p.facilityId)} ·
                        ${ctx.t(`relationship.${p.relationship}` as MessageKey)}
                      </p>
                      <ul class="actions">
                        <li>
                          <a class="button" href="/visits/book?prisoner=${p.prisonerId}"
                            >${ctx.t('home.bookVisit')}</a
                          >
                        </li>
                        <li>
                          <a class="button secondary" href="/top-up?prisoner=${p.prisonerId}"
                            >${ctx.t('home.topUp')}</a
                          >
                        </li>
                      </ul>
                    </li>`,
                )}
              </ul>`
            : html`<p>${ctx.t('home.noPrisoners')}</p>`
        }
        <p><a class="button secondary" href="/links/new">${ctx.t('home.askLink')}</a></p>
      </section>
      <section aria-labelledby="links-h">
        <h2 id="links-h">${ctx.t('home.requests')}</h2>
        ${
          open.length
            ? html`<table>
                <caption class="visually-hidden">
                  ${ctx.t('home.requests')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${ctx.t('links.facility')}</th>
                    <th scope="col">${ctx.t('links.number')}</th>
                    <th scope="col">${ctx.t('links.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${open.map(
                    (l) =>
                      html`<tr>
                        <td>${fname(l.facilityId)}</td>
                        <td>${l.prisonerPersonalNumber}</td>
                        <td>
                          <span class="status ${l.status}"
                            >${ctx.t(`linkStatus.${l.status}` as MessageKey)}</span
                          >${l.decisionNote ? html`<br /><span class="small">${l.decisionNote}</span>` : ''}
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : html`<p>${ctx.t('home.noRequests')}</p>`
        }
      </section>
      <p><a href="/visits">${ctx.t('home.myVisits')}</a></p>`,
  });
}
