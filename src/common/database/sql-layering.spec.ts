import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? files(path.join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')
        ? [path.join(dir, e.name)]
        : [],
  );
}

const rel = (f: string) => path.relative(SRC, f).split(path.sep).join('/');
const DATABASE_LAYER = /^(common\/database|database)\//;

// SQL lives in repositories and the database layer: services say what, repositories say how.
describe('where SQL may be written', () => {
  const all = files(SRC).map((f) => ({ file: rel(f), text: readFileSync(f, 'utf8') }));

  it('injects DataSource only in the database layer', () => {
    const offenders = all
      .filter(({ file }) => !DATABASE_LAYER.test(file))
      .filter(({ text }) => /\bDataSource\b/.test(text.replace(/DataSourceOptions/g, '')))
      .map(({ file }) => file);
    expect(offenders.filter((f) => f !== 'app.module.ts')).toEqual([]);
  });

  it('runs no query outside repositories and the database layer', () => {
    const offenders = all
      .filter(({ file }) => !DATABASE_LAYER.test(file) && !file.endsWith('.repository.ts'))
      .filter(({ file }) => !file.startsWith('bootstrap'))
      .filter(({ text }) => /\.query\s*[<(]|createQueryBuilder|pg_advisory/.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });

  // a snapshot, a read-only transaction: asked for by name (UnitOfWork.snapshot), set up in one place
  it('sets transaction modes only in the database layer', () => {
    const offenders = all
      .filter(({ file }) => !DATABASE_LAYER.test(file))
      .filter(({ text }) => /\bisolation\s*:|SET TRANSACTION/i.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });
});
