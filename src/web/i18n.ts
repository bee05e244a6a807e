import en from './catalogs/en.json';
import kk from './catalogs/kk.json';
import ru from './catalogs/ru.json';

export const LANGS = ['kk', 'ru', 'en'] as const;
export type Lang = (typeof LANGS)[number];
/** English is the catalog every key is first written in; the others may lag and fall back to it. */
export type MessageKey = keyof typeof en;
export type Params = Record<string, string | number>;

const CATALOGS: Record<Lang, Partial<Record<MessageKey, string>>> = { en, kk, ru };

/** Names of the languages in themselves, for the switcher. */
export const LANG_NAMES: Record<Lang, string> = { kk: 'Қазақша', ru: 'Русский', en: 'English' };
/** BCP 47 tags for Intl formatting. */
export const LOCALES: Record<Lang, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}

/**
 * The language for a request: the one the user chose (kept in a cookie), else the first of the
 * browser's Accept-Language (by q) that we have, else English.
 */
export function negotiate(chosen: string | undefined, acceptLanguage: string | undefined): Lang {
  if (isLang(chosen)) return chosen;
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
      return { base: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1, i };
    })
    .filter((w) => w.base && w.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return wanted.map((w) => w.base).find(isLang) ?? 'en';
}

/** The message in this language (English when missing), `{name}` placeholders filled in. */
export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  const text = CATALOGS[lang][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    params[name] === undefined ? m : String(params[name]),
  );
}

/** Whether a key exists (for codes that come from the API, e.g. document kinds and error codes). */
export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

export function catalog(lang: Lang): Partial<Record<MessageKey, string>> {
  return CATALOGS[lang];
}
