import { RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ApiOperation, ApiResponse, SwaggerModule } from '@nestjs/swagger';

/* eslint-disable @typescript-eslint/no-explicit-any -- a walk over the plain JSON document */
type Json = Record<string, any>;

const API_RESPONSES = 'swagger/apiResponse';

/**
 * Loads the @nestjs/swagger plugin's metadata (written by the global setup, see
 * test/setup/openapi-metadata.ts) so the app the tests run serves the document `nest build` serves.
 * Models load as the plugin loads them; for controllers it does what the plugin's transformer does
 * at build time, which SwaggerModule.loadPluginMetadata does not: the inferred success answer is
 * added beside the documented problem answers unless the route declares its own success answer.
 */
export async function loadOpenApiMetadata(): Promise<void> {
  const file = process.env.TEST_OPENAPI_METADATA;
  if (!file) throw new Error('TEST_OPENAPI_METADATA unset: run the tests through jest');
  const mod = (await import(file)) as { default: () => Promise<Json> };
  const { models, controllers } = (await mod.default())['@nestjs/swagger'] as {
    models: unknown[];
    controllers: [Promise<Json>, Record<string, Record<string, Json>>][];
  };
  await SwaggerModule.loadPluginMetadata(async () => ({ '@nestjs/swagger': { models } }));
  for (const [fileImport, classes] of controllers) {
    const exported = await fileImport;
    for (const [className, methods] of Object.entries(classes)) {
      const proto = (exported[className] as { prototype: Json }).prototype;
      for (const [name, meta] of Object.entries(methods)) {
        const descriptor = Object.getOwnPropertyDescriptor(proto, name);
        if (!descriptor) continue;
        const handler = descriptor.value as object;
        const { summary, description, deprecated, tags, ...response } = meta;
        if (summary || description) {
          ApiOperation({ summary, description, deprecated, tags }, { overrideExisting: false })(
            proto,
            name,
            descriptor,
          );
        }
        const declared = (Reflect.getMetadata(API_RESPONSES, handler) ?? {}) as Json;
        if (Object.keys(declared).some((s) => Number(s) < 400)) continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        const status =
          (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ??
          (method === RequestMethod.POST ? 201 : 200);
        ApiResponse({ status, ...response })(proto, name, descriptor);
      }
    }
  }
}
