import type { Problem } from './api-client';
import type { WebContext } from './context';
import { hasMessage, MessageKey } from './i18n';
import { FormErrors, noErrors } from './pages/forms';

/**
 * A refusal of the API in the user's words: every code a page's calls can meet has its message
 * in the catalogs (`error.<CODE>`); invalid fields get their own (`field.<name>`), shown beside
 * the field named by `fieldIds` (API field → the form's input id).
 */
export function problemToErrors(
  ctx: WebContext,
  p: Problem,
  fieldIds: Record<string, string> = {},
): FormErrors {
  const e = noErrors();
  if (p.code === 'VALIDATION_FAILED' && p.errors?.length) {
    for (const f of p.errors) {
      const base = f.field.split(/[.[]/)[0];
      const id = fieldIds[f.field] ?? fieldIds[base];
      const key = `field.${base}`;
      const msg = hasMessage(key) ? ctx.t(key) : ctx.t('error.VALIDATION_FAILED');
      if (id && !e.fields[id]) e.fields[id] = msg;
      else if (!id && !e.form.includes(msg)) e.form.push(msg);
    }
    return e;
  }
  e.form.push(problemMessage(ctx, p));
  return e;
}

export function problemMessage(ctx: WebContext, p: Pick<Problem, 'code' | 'status'>): string {
  const key = `error.${p.code}`;
  if (hasMessage(key)) return ctx.t(key);
  const byStatus: MessageKey =
    p.status >= 500 ? 'error.server' : p.status === 404 ? 'error.NOT_FOUND' : 'error.generic';
  return ctx.t(byStatus);
}
