import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { EDGE_CONTEXT } from './validators';

// Every request DTO of every module, and the shared page query.
const modules = join(__dirname, '../../modules');
const dtoFiles = [
  join(__dirname, 'pagination.ts'),
  ...readdirSync(modules).flatMap((m) => {
    try {
      return readdirSync(join(modules, m, 'dto'))
        .filter((f) => f.endsWith('.dto.ts'))
        .map((f) => join(modules, m, 'dto', f));
    } catch {
      return [];
    }
  }),
];
for (const f of dtoFiles) require(f); // eslint-disable-line @typescript-eslint/no-require-imports

function all(): ValidationMetadata[] {
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<object, ValidationMetadata[]>;
  };
  return [...storage.validationMetadatas.values()].flat();
}

const where = (m: ValidationMetadata) =>
  `${(m.target as { name?: string }).name}.${m.propertyName}`;
const fromEdge = (m: ValidationMetadata) => m.context?.edge === EDGE_CONTEXT.edge;

describe('every DTO field goes through the edge’s composites', () => {
  it('loads the DTOs', () => {
    expect(dtoFiles.length).toBeGreaterThan(8);
    expect(all().length).toBeGreaterThan(50);
  });

  it('never uses @IsOptional (it takes null for absent): @Omittable or @NullMeans instead', () => {
    expect(
      all()
        .filter((m) => m.name === 'isOptional')
        .map(where),
    ).toEqual([]);
  });

  it('takes ids only through @IsId (lower-cased), never a bare @IsUUID', () => {
    expect(
      all()
        .filter((m) => m.name === 'isUuid' && !fromEdge(m))
        .map(where),
    ).toEqual([]);
  });

  it('validates nested objects only through @ArrayOf (each element an object of the type)', () => {
    expect(
      all()
        .filter((m) => m.type === ValidationTypes.NESTED_VALIDATION && !fromEdge(m))
        .map(where),
    ).toEqual([]);
  });
});
