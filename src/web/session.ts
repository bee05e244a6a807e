import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'ps_session';
export const CSRF_COOKIE = 'ps_csrf';
export const LANG_COOKIE = 'ps_lang';

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      // a cookie we did not set; ignore it
    }
  }
  return out;
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  httpOnly?: boolean;
  secure: boolean;
}

/** Adds a Set-Cookie header (several may be set on one answer). */
export function setCookie(
  reply: FastifyReply,
  name: string,
  value: string,
  o: CookieOptions,
): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'SameSite=Lax'];
  if (o.maxAgeSeconds !== undefined) parts.push(`Max-Age=${o.maxAgeSeconds}`);
  if (o.httpOnly !== false) parts.push('HttpOnly');
  if (o.secure) parts.push('Secure');
  const prev = reply.getHeader('set-cookie');
  const list = Array.isArray(prev) ? prev : typeof prev === 'string' ? [prev] : [];
  void reply.header('set-cookie', [...list, parts.join('; ')]);
}

export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The form's token equals the cookie's (double submit; the cookie is SameSite too). */
export function csrfMatches(cookie: string | undefined, field: unknown): boolean {
  if (!cookie || typeof field !== 'string' || field.length !== cookie.length) return false;
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(field));
}

/** A path on this site to come back to (never another origin). */
export function localPath(v: unknown, fallback = '/'): string {
  if (typeof v !== 'string' || !v.startsWith('/') || v.startsWith('//') || v.startsWith('/\\')) {
    return fallback;
  }
  const control = [...v].some((c) => c.charCodeAt(0) < 0x20);
  if (v.startsWith('/api/') || control || v.length > 1000) return fallback;
  return v;
}

/** Whether cookies must be Secure: on HTTPS (directly or behind a trusted proxy) or in production. */
export function secureRequest(req: FastifyRequest, production: boolean): boolean {
  return production || req.protocol === 'https';
}
