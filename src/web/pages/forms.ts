import type { WebContext } from '../context';
import { Html, html } from '../html';
import type { MessageKey } from '../i18n';
import { RELATIONSHIPS } from '../../modules/visits/domain/relationship';

/** What went wrong with a form: messages by field (shown beside it) and for the form as a whole. */
export interface FormErrors {
  fields: Record<string, string>;
  form: string[];
  /** Extra markup under the summary (e.g. other dates to pick). */
  extra?: Html;
}

export const noErrors = (): FormErrors => ({ fields: {}, form: [] });

export function hasErrors(e: FormErrors): boolean {
  return e.form.length > 0 || Object.keys(e.fields).length > 0;
}

/**
 * The error summary at the top of a form (GOV.UK's pattern): focused on load so a screen reader
 * reads it at once, each field's message a link to that field.
 */
export function errorSummary(ctx: WebContext, e: FormErrors): Html {
  if (!hasErrors(e)) return html``;
  return html`<div
    class="error-summary"
    role="alert"
    aria-labelledby="error-summary-title"
    tabindex="-1"
    autofocus
  >
    <h2 id="error-summary-title">${ctx.t('form.problem')}</h2>
    <ul>
      ${e.form.map((m) => html`<li>${m}</li>`)}${Object.entries(e.fields).map(
        ([id, m]) => html`<li><a href="#${id}">${m}</a></li>`,
      )}
    </ul>
    ${e.extra ?? ''}
  </div>`;
}

export interface FieldSpec {
  id: string;
  name?: string;
  label: string;
  type?: string;
  value?: string;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  inputmode?: string;
  extra?: string;
}

export function field(e: FormErrors, f: FieldSpec): Html {
  const err = e.fields[f.id];
  const described = [f.hint ? `${f.id}-hint` : '', err ? `${f.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return html`<div class="field${err ? ' invalid' : ''}">
    <label for="${f.id}">${f.label}</label>
    ${f.hint ? html`<p class="hint" id="${f.id}-hint">${f.hint}</p>` : ''}
    ${err ? html`<p class="error" id="${f.id}-error">${err}</p>` : ''}
    <input
      id="${f.id}"
      name="${f.name ?? f.id}"
      type="${f.type ?? 'text'}"
      value="${f.value ?? ''}"
      ${f.autocomplete ? html` autocomplete="${f.autocomplete}"` : ''}${f.inputmode ? html` inputmode="${f.inputmode}"` : ''}${f.required !== false ? html` required` : ''}${described ? html` aria-describedby="${described}"` : ''}${err ? html` aria-invalid="true"` : ''}
    />
  </div>`;
}

export interface SelectSpec {
  id: string;
  name?: string;
  label: string;
  value?: string;
  options: { value: string; label: string }[];
  placeholder?: string;
}

export function select(e: FormErrors, s: SelectSpec): Html {
  const err = e.fields[s.id];
  return html`<div class="field${err ? ' invalid' : ''}">
    <label for="${s.id}">${s.label}</label>
    ${err ? html`<p class="error" id="${s.id}-error">${err}</p>` : ''}
    <select
      id="${s.id}"
      name="${s.name ?? s.id}"
      required${err ? html` aria-invalid="true" aria-describedby="${s.id}-error"` : ''}
    >
      ${s.placeholder !== undefined ? html`<option value="">${s.placeholder}</option>` : ''}
      ${s.options.map((o) => html`<option value="${o.value}" ${o.value === s.value ? html` selected` : ''}>${o.label}</option>`)}
    </select>
  </div>`;
}

/** Relationship options, labelled in the user's language. */
export function relationshipOptions(ctx: WebContext): { value: string; label: string }[] {
  // the list the API accepts (a link's and a visitor's relationship)
  return RELATIONSHIPS.map((k) => ({ value: k, label: ctx.t(`relationship.${k}` as MessageKey) }));
}

/** A form value as a trimmed string ('' when absent or not a string). */
export function str(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  return typeof v === 'string' ? v.trim() : '';
}
