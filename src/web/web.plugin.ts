import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from '@nestjs/common';
import type { Env } from '../config/env.schema';
import { ApiRefused, Problem, SessionExpired } from './api-client';
import { Clock } from '../common/time/clock';
import { Assets } from './assets';
import { WebContext, WebSettings, PaymentMode } from './context';
import { problemMessage } from './errors';
import { html } from './html';
import { isLang } from './i18n';
import { LANG_COOKIE, localPath, SESSION_COOKIE } from './session';
import { accountRoutes } from './routes/account.routes';
import { linkRoutes } from './routes/links.routes';
import { visitRoutes } from './routes/visits.routes';
import { moneyRoutes } from './routes/money.routes';

type Handler = (ctx: WebContext, req: FastifyRequest) => Promise<FastifyReply> | FastifyReply;

export interface PageRoute {
  /** Sign-in required: without a session, the user signs in and comes back here. */
  auth?: boolean;
}

/** Registers pages on the web scope; hands every handler its context. */
export class WebRouter {
  constructor(
    private readonly web: FastifyInstance,
    private readonly root: FastifyInstance,
    readonly settings: WebSettings,
    readonly assets: Assets,
    private readonly clock: Clock,
  ) {}

  /** The application's clock (tests fix it), for what a page computes itself (e.g. tomorrow). */
  now(): Date {
    return this.clock.now();
  }

  /** Answers the error page for a refusal of the API. */
  refused(_ctx: WebContext, problem: Problem): never {
    throw new ApiRefused(problem);
  }

  notFound(ctx: WebContext): never {
    return this.refused(ctx, { status: 404, code: 'NOT_FOUND' });
  }

  private context(req: FastifyRequest, reply: FastifyReply): WebContext {
    return new WebContext(this.root, req, reply, this.settings, this.assets);
  }

  get(url: string, o: PageRoute, handler: Handler): void {
    this.web.get(url, async (req, reply) => {
      const ctx = this.context(req, reply);
      if (o.auth && !ctx.signedIn) throw new SessionExpired();
      return handler(ctx, req);
    });
  }

  /** A form's target: refused unless the form came from this browser's page (CSRF token). */
  post(url: string, o: PageRoute, handler: Handler): void {
    this.web.post(url, async (req, reply) => {
      const ctx = this.context(req, reply);
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (!ctx.formIsOurs(body)) {
        return ctx.render(403, {
          title: ctx.t('error.formExpired.title'),
          body: html`<p>${ctx.t('error.formExpired')}</p>
            <p><a href="${localPath(body._back)}">${ctx.t('error.formExpired.back')}</a></p>`,
        });
      }
      if (o.auth && !ctx.signedIn) throw new SessionExpired();
      return handler(ctx, req);
    });
  }
}

export function paymentMode(env: Env): PaymentMode {
  const key = env.STRIPE_SECRET_KEY ?? '';
  // the local mock's keys (src/dev/stripe-mock.ts): a plain test-card form confirms against it
  if (key.startsWith('sk_test_mock_') && env.STRIPE_API_HOST && env.STRIPE_API_PORT) {
    const proto = env.STRIPE_API_PROTOCOL ?? 'https';
    return { kind: 'mock', apiBase: `${proto}://${env.STRIPE_API_HOST}:${env.STRIPE_API_PORT}` };
  }
  if (key && env.STRIPE_PUBLISHABLE_KEY) {
    return { kind: 'stripe', publishableKey: env.STRIPE_PUBLISHABLE_KEY };
  }
  return { kind: 'off' };
}

/**
 * The relatives' pages, served at `/` by the same server as the API (which stays under `/api`).
 * Plain Fastify routes in their own scope: Nest does not see them, so they are not in the API's
 * OpenAPI document, and forms (application/x-www-form-urlencoded) are parsed here only. When the
 * pages were not built (`npm run build`), none is served.
 */
export async function registerWeb(app: NestFastifyApplication, env: Env): Promise<void> {
  const log = new Logger('Web');
  const assets = Assets.load();
  if (!assets) {
    log.warn('the web pages were not built (npm run build): only the API is served');
    return;
  }
  const root = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const settings: WebSettings = {
    production: env.NODE_ENV === 'production',
    payments: paymentMode(env),
    sessionSeconds: env.JWT_TTL_SECONDS,
  };
  await root.register(async (web) => {
    web.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    web.setErrorHandler(async (err: Error & { statusCode?: number; code?: string }, req, reply) => {
      const ctx = new WebContext(root, req, reply, settings, assets);
      if (err instanceof SessionExpired) {
        ctx.cookie(SESSION_COOKIE, '', 0);
        const body = (req.body ?? {}) as Record<string, unknown>;
        const back = req.method === 'GET' ? ctx.here : localPath(body._back);
        return ctx.redirect(`/sign-in?expired=1&next=${encodeURIComponent(back)}`);
      }
      const problem =
        err instanceof ApiRefused
          ? err.problem
          : { status: err.statusCode ?? 500, code: typeof err.code === 'string' ? err.code : '' };
      if (problem.status >= 500) log.error(`${req.method} ${req.url}: ${err.stack ?? err.message}`);
      return ctx.render(problem.status, {
        title: ctx.t(problem.status === 404 ? 'error.notFound.title' : 'error.title'),
        body: html`<p>${problemMessage(ctx, problem)}</p>
          <p class="small">${ctx.t('error.reference', { id: req.id })}</p>
          <p><a href="/">${ctx.t('nav.home')}</a></p>`,
      });
    });
    web.get('/assets/:name', async (req, reply) =>
      assets.serve(req, reply, (req.params as { name: string }).name),
    );
    web.get('/lang/:lang', async (req, reply) => {
      const { lang } = req.params as { lang: string };
      const ctx = new WebContext(root, req, reply, settings, assets);
      if (isLang(lang)) ctx.cookie(LANG_COOKIE, lang, 365 * 86400);
      return ctx.redirect(localPath((req.query as { next?: string }).next));
    });
    const router = new WebRouter(web, root, settings, assets, app.get(Clock));
    accountRoutes(router);
    linkRoutes(router);
    visitRoutes(router);
    moneyRoutes(router);
  });
}
