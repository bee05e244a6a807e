import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface Asset {
  type: string;
  body: Buffer;
  br: Buffer;
  gz: Buffer;
  hash: string;
}

/** The package's root: the nearest directory up from here with a package.json (src/ or dist/src/). */
function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return from;
    dir = up;
  }
  return dir;
}

/** Where `npm run build` puts the pages' CSS and scripts: the server serves only what is built. */
export const BUILT_ASSETS_DIR = path.join(packageRoot(__dirname), 'dist', 'web', 'public');

/**
 * The built CSS and scripts, read once at start, compressed once (brotli and gzip), addressed by a
 * content hash so a browser keeps them for a year and never asks again until they change.
 */
export class Assets {
  private constructor(private readonly files: Map<string, Asset>) {}

  static load(dir = BUILT_ASSETS_DIR): Assets | null {
    if (!existsSync(path.join(dir, 'site.css'))) return null;
    const files = new Map<string, Asset>();
    for (const name of readdirSync(dir)) {
      const type = TYPES[path.extname(name)];
      if (!type) continue;
      const body = readFileSync(path.join(dir, name));
      files.set(name, {
        type,
        body,
        br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        gz: gzipSync(body, { level: 9 }),
        hash: createHash('sha256').update(body).digest('hex').slice(0, 12),
      });
    }
    return new Assets(files);
  }

  has(name: string): boolean {
    return this.files.has(name);
  }

  url(name: string): string {
    const a = this.files.get(name);
    if (!a) throw new Error(`asset ${name} was not built`);
    return `/assets/${name}?v=${a.hash}`;
  }

  serve(req: FastifyRequest, reply: FastifyReply, name: string): FastifyReply {
    const a = this.files.get(name);
    if (!a) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    void reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('vary', 'accept-encoding')
      .type(a.type);
    return reply.send(pickEncoding(req, reply, a.body, a.br, a.gz));
  }
}

/** The best body for the client's Accept-Encoding, with Content-Encoding set when coded. */
export function pickEncoding(
  req: FastifyRequest,
  reply: FastifyReply,
  body: Buffer,
  br?: Buffer,
  gz?: Buffer,
): Buffer {
  const accept = String(req.headers['accept-encoding'] ?? '');
  if (body.length < 1024) return body;
  if (/\bbr\b/.test(accept)) {
    void reply.header('content-encoding', 'br');
    return br ?? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
  }
  if (/\bgzip\b/.test(accept)) {
    void reply.header('content-encoding', 'gzip');
    return gz ?? gzipSync(body);
  }
  return body;
}
