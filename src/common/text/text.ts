/**
 * The one rule for text that comes in from outside (see docs/input.md).
 *
 * Refused everywhere: the C0 controls other than tab, line feed and carriage return (NUL among
 * them: PostgreSQL cannot store it), DEL and the C1 controls, and lone UTF-16 surrogates (not
 * text at all; PostgreSQL cannot encode them). Tab, line feed and carriage return pass the edge;
 * a single-line field then refuses them and a multi-line field keeps line feeds only.
 * What passes is normalised to NFC, so that one word has one spelling in the database.
 */

// eslint-disable-next-line no-control-regex
const REFUSED_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LINE_CONTROL = /[\t\n\r]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// Printable ASCII, tab, line feed and carriage return: nothing to refuse, and NFC already.
const PLAIN = /^[\x20-\x7e\t\n\r]*$/;

function codePoint(ch: string): string {
  return `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Whether the string needs nothing at the edge (almost every string does: ids, codes, amounts). */
export function isPlainText(s: string): boolean {
  return PLAIN.test(s);
}

/** Why this string cannot be taken as text at all, or null when it can. */
export function textFault(s: string): string | null {
  const c = REFUSED_CONTROL.exec(s);
  if (c) return `must not contain the control character ${codePoint(c[0])}`;
  if (LONE_SURROGATE.test(s)) return 'must not contain a lone UTF-16 surrogate';
  return null;
}

/** The text as it is kept: NFC. */
export function normaliseText(s: string): string {
  return s.normalize('NFC');
}

/** Whether a (single-line) field holds a tab or a line break. */
export function hasLineControl(s: string): boolean {
  return LINE_CONTROL.test(s);
}

/** Multi-line text keeps line feeds: CR LF and lone CR become LF; tabs stay. */
export function normaliseLineBreaks(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}
