import type { WebContext } from '../context';
import { problemToErrors } from '../errors';
import { html } from '../html';
import type { MessageKey } from '../i18n';
import { errorSummary, field, FormErrors, noErrors, str } from '../pages/forms';
import { homePage } from '../pages/home.page';
import { localPath, SESSION_COOKIE } from '../session';
import type { WebRouter } from '../web.plugin';

interface Token {
  accessToken: string;
  expiresIn: number;
}

function signInPage(
  ctx: WebContext,
  status: number,
  v: { email?: string; next: string },
  e: FormErrors,
) {
  const expired = (ctx.req.query as { expired?: string }).expired === '1';
  return ctx.render(status, {
    title: ctx.t('signIn.title'),
    body: html`${expired && status === 200 ? html`<p class="notice" role="status">${ctx.t('signIn.expired')}</p>` : ''}
      ${errorSummary(ctx, e)}
      <form method="post" action="/sign-in" novalidate>
        ${ctx.formGuard(v.next)}<input type="hidden" name="next" value="${v.next}" />
        ${field(e, { id: 'email', label: ctx.t('field.email.label'), type: 'email', value: v.email, autocomplete: 'email' })}
        ${field(e, { id: 'password', label: ctx.t('field.password.label'), type: 'password', autocomplete: 'current-password' })}
        <button type="submit">${ctx.t('signIn.submit')}</button>
      </form>
      <p>${ctx.t('signIn.noAccount')} <a href="/register">${ctx.t('nav.register')}</a></p>`,
  });
}

interface RegisterValues {
  fullName?: string;
  email?: string;
  phone?: string;
}

function registerPage(ctx: WebContext, status: number, v: RegisterValues, e: FormErrors) {
  return ctx.render(status, {
    title: ctx.t('register.title'),
    body: html`<p>${ctx.t('register.intro')}</p>
      ${errorSummary(ctx, e)}
      <form method="post" action="/register" novalidate>
        ${ctx.formGuard('/register')}
        ${field(e, { id: 'fullName', label: ctx.t('field.fullName.label'), value: v.fullName, autocomplete: 'name' })}
        ${field(e, { id: 'email', label: ctx.t('field.email.label'), type: 'email', value: v.email, autocomplete: 'email' })}
        ${field(e, { id: 'phone', label: ctx.t('field.phone.label'), type: 'tel', value: v.phone, autocomplete: 'tel', hint: ctx.t('field.phone.hint') })}
        ${field(e, { id: 'password', label: ctx.t('field.password.label'), type: 'password', autocomplete: 'new-password', hint: ctx.t('field.password.hint') })}
        <button type="submit">${ctx.t('register.submit')}</button>
      </form>
      <p>${ctx.t('register.haveAccount')} <a href="/sign-in">${ctx.t('nav.signIn')}</a></p>`,
  });
}

/** Signs in through the API and keeps the token in an HttpOnly cookie for its lifetime. */
async function signIn(ctx: WebContext, email: string, password: string) {
  const r = await ctx.api.post<Token>('/auth/relatives/login', { email, password });
  if (r.ok) ctx.cookie(SESSION_COOKIE, r.body.accessToken, r.body.expiresIn);
  return r;
}

const DONE: readonly string[] = ['registered', 'linkRequested', 'visitCancelled', 'signedOut'];

export function accountRoutes(r: WebRouter): void {
  r.get('/', {}, async (ctx) => {
    const done = (ctx.req.query as { done?: string }).done;
    const notice = done && DONE.includes(done) ? ctx.t(`done.${done}` as MessageKey) : undefined;
    if (!ctx.signedIn) {
      return ctx.render(200, {
        title: ctx.t('welcome.title'),
        body: html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
          <p>${ctx.t('welcome.intro')}</p>
          <ul class="actions">
            <li><a class="button" href="/register">${ctx.t('nav.register')}</a></li>
            <li><a class="button secondary" href="/sign-in">${ctx.t('nav.signIn')}</a></li>
          </ul>`,
      });
    }
    return homePage(ctx, notice);
  });

  r.get('/sign-in', {}, (ctx) =>
    signInPage(
      ctx,
      200,
      { next: localPath((ctx.req.query as { next?: string }).next) },
      noErrors(),
    ),
  );

  r.post('/sign-in', {}, async (ctx, req) => {
    const body = req.body as Record<string, unknown>;
    const v = { email: str(body, 'email'), next: localPath(body.next) };
    const e = noErrors();
    if (!v.email) e.fields.email = ctx.t('field.email');
    if (!str(body, 'password')) e.fields.password = ctx.t('field.password.missing');
    if (e.fields.email || e.fields.password) return signInPage(ctx, 400, v, e);
    const res = await signIn(ctx, v.email, String(body.password));
    if (res.ok) return ctx.redirect(v.next);
    return signInPage(
      ctx,
      res.status,
      v,
      problemToErrors(ctx, res.problem, { email: 'email', password: 'password' }),
    );
  });

  r.get('/register', {}, (ctx) => registerPage(ctx, 200, {}, noErrors()));

  r.post('/register', {}, async (ctx, req) => {
    const body = req.body as Record<string, unknown>;
    const v = {
      fullName: str(body, 'fullName'),
      email: str(body, 'email'),
      phone: str(body, 'phone').replace(/[\s()-]/g, ''),
    };
    const password = typeof body.password === 'string' ? body.password : '';
    const res = await ctx.api.post('/relatives', { ...v, password });
    if (!res.ok) {
      const ids = { fullName: 'fullName', email: 'email', phone: 'phone', password: 'password' };
      return registerPage(ctx, res.status, v, problemToErrors(ctx, res.problem, ids));
    }
    const signed = await signIn(ctx, v.email, password);
    return ctx.redirect(signed.ok ? '/?done=registered' : '/sign-in');
  });

  r.post('/sign-out', {}, (ctx) => {
    ctx.cookie(SESSION_COOKIE, '', 0);
    return ctx.redirect('/?done=signedOut');
  });
}
