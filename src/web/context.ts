import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiClient } from './api-client';
import type { Assets } from './assets';
import { pickEncoding } from './assets';
import { Html, html } from './html';
import { Lang, LOCALES, MessageKey, negotiate, Params, translate } from './i18n';
import {
  CSRF_COOKIE,
  csrfMatches,
  LANG_COOKIE,
  localPath,
  newCsrfToken,
  parseCookies,
  secureRequest,
  SESSION_COOKIE,
  setCookie,
} from './session';
import { layout } from './pages/layout';

/** How the card is taken: the local Stripe mock's test-card form, Stripe's Payment Element, or not at all. */
export type PaymentMode =
  { kind: 'mock'; apiBase: string } | { kind: 'stripe'; publishableKey: string } | { kind: 'off' };

export interface WebSettings {
  production: boolean;
  payments: PaymentMode;
  sessionSeconds: number;
}

/** The Content-Security-Policy of the pages: our own files only, Stripe's where it takes the card. */
export function pageCsp(payments: PaymentMode): string {
  const stripe = payments.kind === 'stripe';
  return [
    `default-src 'self'`,
    `script-src 'self'${stripe ? ' https://js.stripe.com' : ''}`,
    `style-src 'self'`,
    `img-src 'self' data:${stripe ? ' https://*.stripe.com' : ''}`,
    `connect-src 'self'${stripe ? ' https://api.stripe.com' : ''}`,
    `frame-src ${stripe ? 'https://js.stripe.com https://hooks.stripe.com' : `'none'`}`,
    `font-src 'self'`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

export interface PageContent {
  title: string;
  body: Html;
  /** Built scripts this page loads (deferred). */
  scripts?: string[];
  /** Scripts from elsewhere (Stripe's, in production only). */
  externalScripts?: string[];
}

/** One page request: its language, the user's session, the form guard, and the API as the user. */
export class WebContext {
  readonly lang: Lang;
  readonly csrf: string;
  readonly api: ApiClient;
  readonly cookies: Record<string, string>;

  constructor(
    readonly fastify: FastifyInstance,
    readonly req: FastifyRequest,
    readonly reply: FastifyReply,
    readonly settings: WebSettings,
    readonly assets: Assets,
  ) {
    this.cookies = parseCookies(req.headers.cookie);
    this.lang = negotiate(this.cookies[LANG_COOKIE], req.headers['accept-language']);
    let csrf = this.cookies[CSRF_COOKIE];
    if (!csrf || csrf.length < 32) {
      csrf = newCsrfToken();
      this.cookie(CSRF_COOKIE, csrf);
    }
    this.csrf = csrf;
    const token = this.cookies[SESSION_COOKIE] || undefined;
    this.api = new ApiClient(fastify, req, token);
  }

  get signedIn(): boolean {
    return this.api.signedIn;
  }

  /** The page's own address (path and query), to come back to. */
  get here(): string {
    return localPath(this.req.url);
  }

  t = (key: MessageKey, params?: Params): string => translate(this.lang, key, params);

  cookie(name: string, value: string, maxAgeSeconds?: number): void {
    setCookie(this.reply, name, value, {
      maxAgeSeconds,
      secure: secureRequest(this.req, this.settings.production),
    });
  }

  /** The hidden fields every form posts: the CSRF token and the page to return to after signing in. */
  formGuard(back = this.here): Html {
    return html`<input type="hidden" name="_csrf" value="${this.csrf}" /><input
        type="hidden"
        name="_back"
        value="${back}"
      />`;
  }

  /** Whether a posted form carries this browser's token. */
  formIsOurs(body: Record<string, unknown>): boolean {
    return csrfMatches(this.cookies[CSRF_COOKIE], body._csrf);
  }

  formatDate(date: string, opts: Intl.DateTimeFormatOptions = { dateStyle: 'long' }): string {
    // a local date (YYYY-MM-DD) is shown as written, whatever the server's zone
    return new Intl.DateTimeFormat(LOCALES[this.lang], { ...opts, timeZone: 'UTC' }).format(
      new Date(`${date}T00:00:00Z`),
    );
  }

  formatMoney(minor: number, currency: string): string {
    return new Intl.NumberFormat(LOCALES[this.lang], { style: 'currency', currency }).format(
      minor / 100,
    );
  }

  redirect(to: string): FastifyReply {
    return this.reply.code(303).header('location', to).header('cache-control', 'no-store').send();
  }

  render(status: number, content: PageContent): FastifyReply {
    const page = layout(this, content).text;
    void this.reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('vary', 'cookie, accept-language, accept-encoding')
      .header('content-security-policy', pageCsp(this.settings.payments));
    return this.reply.send(pickEncoding(this.req, this.reply, Buffer.from(page, 'utf8')));
  }
}
