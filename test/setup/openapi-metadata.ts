import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
/** Outside the type-checked and linted trees; ts-jest compiles it when the tests load it. */
const DIR = path.join(ROOT, '.openapi-metadata');
export const METADATA_FILE = path.join(DIR, 'plugin-metadata.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}

/**
 * The tests run the application compiled by ts-jest one file at a time, which cannot run the
 * @nestjs/swagger CLI plugin that `nest build` runs (it needs the whole program's types): the
 * document they served lacked every property the plugin infers. This writes the plugin's
 * metadata, as `nest build` would infer it, for the tests to load (SwaggerModule.loadPluginMetadata)
 * so they serve the document production serves. Regenerated only when a source file changed.
 */
export function ensureOpenApiMetadata(): string {
  const nestCli = readFileSync(path.join(ROOT, 'nest-cli.json'), 'utf8');
  const swaggerVersion = readFileSync(
    path.join(ROOT, 'node_modules/@nestjs/swagger/package.json'),
    'utf8',
  );
  const files = sourceFiles(path.join(ROOT, 'src')).sort();
  const hash = createHash('sha256').update(nestCli).update(swaggerVersion);
  for (const f of files) hash.update(f).update('\0').update(readFileSync(f)).update('\0');
  const digest = hash.digest('hex');
  const hashFile = path.join(DIR, 'hash');
  if (
    existsSync(METADATA_FILE) &&
    existsSync(hashFile) &&
    readFileSync(hashFile, 'utf8') === digest
  ) {
    return METADATA_FILE;
  }
  mkdirSync(DIR, { recursive: true });
  /* eslint-disable @typescript-eslint/no-require-imports -- CommonJS-only entry points */
  const { ReadonlyVisitor } =
    require('@nestjs/swagger/plugin') as typeof import('@nestjs/swagger/dist/plugin');
  const { PluginMetadataGenerator } =
    require('@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator') as typeof import('@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const plugin = (
    JSON.parse(nestCli) as {
      compilerOptions: { plugins: { name: string; options: Record<string, unknown> }[] };
    }
  ).compilerOptions.plugins.find((p) => p.name === '@nestjs/swagger');
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.build.json'),
    undefined,
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.build.json could not be read');
  const program = ts.createProgram({ rootNames: files, options: config.options });
  const tmpName = `plugin-metadata.${process.pid}.ts`;
  new PluginMetadataGenerator().generate({
    visitors: [new ReadonlyVisitor({ ...plugin?.options, pathToSource: DIR })],
    outputDir: DIR,
    filename: tmpName,
    tsProgramRef: program,
    watch: false,
    printDiagnostics: false,
  });
  renameSync(path.join(DIR, tmpName), METADATA_FILE);
  writeFileSync(hashFile, digest);
  return METADATA_FILE;
}
