import type { WebContext } from '../context';
import { problemToErrors } from '../errors';
import { html } from '../html';
import {
  errorSummary,
  field,
  FormErrors,
  noErrors,
  relationshipOptions,
  select,
  str,
} from '../pages/forms';
import { facilityNames } from '../pages/home.page';
import type { WebRouter } from '../web.plugin';

interface LinkValues {
  facilityId?: string;
  prisonerPersonalNumber?: string;
  relationship?: string;
}

async function linkPage(ctx: WebContext, status: number, v: LinkValues, e: FormErrors) {
  const facilities = [...(await facilityNames(ctx)).values()].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  return ctx.render(status, {
    title: ctx.t('links.title'),
    body: html`<p>${ctx.t('links.intro')}</p>
      ${errorSummary(ctx, e)}
      <form method="post" action="/links" novalidate>
        ${ctx.formGuard('/links/new')}
        ${select(e, { id: 'facilityId', label: ctx.t('links.facility'), value: v.facilityId, placeholder: ctx.t('form.choose'), options: facilities.map((f) => ({ value: f.id, label: `${f.name} (${f.code})` })) })}
        ${field(e, { id: 'prisonerPersonalNumber', label: ctx.t('links.number'), value: v.prisonerPersonalNumber, hint: ctx.t('links.numberHint'), autocomplete: 'off' })}
        ${select(e, { id: 'relationship', label: ctx.t('links.relationship'), value: v.relationship, placeholder: ctx.t('form.choose'), options: relationshipOptions(ctx) })}
        <button type="submit">${ctx.t('links.submit')}</button>
      </form>`,
  });
}

export function linkRoutes(r: WebRouter): void {
  r.get('/links/new', { auth: true }, (ctx) => linkPage(ctx, 200, {}, noErrors()));

  r.post('/links', { auth: true }, async (ctx, req) => {
    const body = req.body as Record<string, unknown>;
    const v = {
      facilityId: str(body, 'facilityId'),
      prisonerPersonalNumber: str(body, 'prisonerPersonalNumber').toUpperCase(),
      relationship: str(body, 'relationship'),
    };
    const e = noErrors();
    if (!v.facilityId) e.fields.facilityId = ctx.t('field.facilityId');
    if (!v.prisonerPersonalNumber)
      e.fields.prisonerPersonalNumber = ctx.t('field.prisonerPersonalNumber');
    if (!v.relationship) e.fields.relationship = ctx.t('field.relationship');
    if (Object.keys(e.fields).length) return linkPage(ctx, 400, v, e);
    const res = await ctx.api.post('/relatives/me/links', v, str(body, '_key') || undefined);
    if (res.ok) return ctx.redirect('/?done=linkRequested');
    const ids = {
      facilityId: 'facilityId',
      prisonerPersonalNumber: 'prisonerPersonalNumber',
      relationship: 'relationship',
    };
    return linkPage(ctx, res.status, v, problemToErrors(ctx, res.problem, ids));
  });
}
