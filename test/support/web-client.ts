import request from 'supertest';

export interface Page {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
  location?: string;
}

/**
 * A browser without a browser, for the pages' e2e specs: keeps cookies, sends forms with the page's
 * CSRF token, sends Accept-Language. Redirects are not followed (specs assert where they go).
 */
export class WebClient {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly baseUrl: string,
    public acceptLanguage = 'en',
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }

  private keep(res: request.Response): Page {
    const set = res.headers['set-cookie'] as unknown as string[] | undefined;
    for (const c of set ?? []) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = decodeURIComponent(pair.slice(eq + 1).trim());
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return {
      status: res.status,
      text: res.text,
      headers: res.headers,
      location: res.headers.location as string | undefined,
    };
  }

  async get(path: string): Promise<Page> {
    const res = await request(this.baseUrl)
      .get(path)
      .set('accept-language', this.acceptLanguage)
      .set('cookie', this.cookieHeader())
      .redirects(0)
      .ok(() => true);
    return this.keep(res);
  }

  /** Posts a form as the page would: with the CSRF token from the cookie unless `csrf` says otherwise. */
  async post(path: string, fields: Record<string, string>, csrf?: string): Promise<Page> {
    if (!this.cookies.has('ps_csrf')) await this.get('/');
    const res = await request(this.baseUrl)
      .post(path)
      .type('form')
      .set('accept-language', this.acceptLanguage)
      .set('cookie', this.cookieHeader())
      .send({ _csrf: csrf ?? this.cookies.get('ps_csrf') ?? '', ...fields })
      .redirects(0)
      .ok(() => true);
    return this.keep(res);
  }
}

/** The text of the page without tags, white space collapsed (for assertions on what a user reads). */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The markup with every run of white space one space (attributes may be laid over several lines). */
export function flat(html: string): string {
  return html.replace(/\s+/g, ' ');
}
