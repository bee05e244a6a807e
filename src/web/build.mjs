// Builds the pages' static files into dist/web/public (the client scripts are compiled there by
// tsc -p src/web/client): the stylesheet, with comments and spare white space removed.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../../dist/web/public');
mkdirSync(out, { recursive: true });
for (const name of readdirSync(path.join(here, 'assets'))) {
  if (!name.endsWith('.css')) continue;
  const css = readFileSync(path.join(here, 'assets', name), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/;}/g, '}')
    .trim();
  writeFileSync(path.join(out, name), css + '\n');
}
console.log(
  `web assets built in ${path.relative(process.cwd(), out)}: ${readdirSync(out).join(', ')}`,
);
