import type { PageContent, WebContext } from '../context';
import { Html, html } from '../html';
import { LANG_NAMES, LANGS } from '../i18n';

function languageSwitcher(ctx: WebContext): Html {
  const next = encodeURIComponent(ctx.here);
  return html`<nav class="langs" aria-label="${ctx.t('layout.languages')}">
    <ul>
      ${LANGS.map(
        (l) =>
          html`<li>
            <a
              href="/lang/${l}?next=${next}"
              lang="${l}"
              hreflang="${l}"
              ${l === ctx.lang ? html` aria-current="true"` : ''}
              >${LANG_NAMES[l]}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

function mainNav(ctx: WebContext): Html {
  if (!ctx.signedIn) {
    return html`<nav aria-label="${ctx.t('layout.menu')}">
      <ul class="menu">
        <li><a href="/sign-in">${ctx.t('nav.signIn')}</a></li>
        <li><a href="/register">${ctx.t('nav.register')}</a></li>
      </ul>
    </nav>`;
  }
  return html`<nav aria-label="${ctx.t('layout.menu')}">
    <ul class="menu">
      <li><a href="/">${ctx.t('nav.home')}</a></li>
      <li><a href="/visits">${ctx.t('nav.visits')}</a></li>
      <li>
        <form method="post" action="/sign-out">
          ${ctx.formGuard('/')}<button type="submit" class="link">${ctx.t('nav.signOut')}</button>
        </form>
      </li>
    </ul>
  </nav>`;
}

/** Every page: language, skip link, header, one h1, the content, the page's scripts. */
export function layout(ctx: WebContext, c: PageContent): Html {
  const scripts = (c.scripts ?? []).map(
    (s) => html`<script src="${ctx.assets.url(s)}" defer></script>`,
  );
  const external = (c.externalScripts ?? []).map((s) => html`<script src="${s}"></script>`);
  return html`<!doctype html>
    <html lang="${ctx.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${c.title} · ${ctx.t('site.name')}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="${ctx.assets.url('site.css')}" />
        ${external}${scripts}
      </head>
      <body>
        <a class="skip" href="#main">${ctx.t('layout.skip')}</a>
        <header class="top">
          <div class="wrap">
            <a class="brand" href="/">${ctx.t('site.name')}</a
            >${languageSwitcher(ctx)}${mainNav(ctx)}
          </div>
        </header>
        <main id="main" class="wrap" tabindex="-1">
          <h1>${c.title}</h1>
          ${c.body}
        </main>
        <footer class="wrap foot"><p>${ctx.t('layout.footer')}</p></footer>
      </body>
    </html> `;
}
