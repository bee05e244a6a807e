import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The API's security headers: helmet's defaults, with a CSP the API docs page can work under. */
export const API_SECURITY: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: [`'self'`],
      styleSrc: [`'self'`, `'unsafe-inline'`],
      imgSrc: [`'self'`, 'data:', 'validator.swagger.io'],
      scriptSrc: [`'self'`, `'unsafe-inline'`],
    },
  },
};

/**
 * Helmet's headers for `options`, reckoned once. With no nonce and no directive that depends on
 * the request they are the same for every answer, so nothing is rebuilt per request
 * (@fastify/helmet builds helmet and parses the CSP directives again on each one).
 */
export function securityHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | readonly string[]): void {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string): void {
      delete headers[name.toLowerCase()];
    },
  };
  let failed: unknown;
  let ran = false;
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    failed = err;
    ran = true;
  });
  if (failed) throw failed;
  if (!ran)
    throw new Error('helmet did not finish synchronously: its headers cannot be fixed once');
  return Object.freeze(headers);
}
