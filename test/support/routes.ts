import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { ACCESS_RULE, AccessRule } from '../../src/common/auth/access.decorator';
import { NO_BODY } from '../../src/common/http/no-body.decorator';
import { USE_CASE } from '../../src/common/use-case/use-case.decorator';
import type { NotAUseCase, UseCaseOptions } from '../../src/common/use-case/use-case.decorator';
import { API, TestApp } from './test-app';

export interface DeclaredRoute {
  method: string;
  path: string;
  rule: AccessRule | undefined;
  /** Its `@UseCase` or `@NotAUseCase` declaration. */
  useCase: UseCaseOptions | NotAUseCase | undefined;
  /** Whether the handler takes a `@Body()`. */
  takesBody: boolean;
  /** Whether it is marked `@NoBody()` (a body sent with fields is refused). */
  noBody: boolean;
}

/** Every route the application registered, with its access declaration. */
export function declaredRoutes(t: TestApp): DeclaredRoute[] {
  const scanner = new MetadataScanner();
  const routes: DeclaredRoute[] = [];
  const controllers = [...t.app.get(ModulesContainer).values()].flatMap((m) => [
    ...m.controllers.values(),
  ]);
  for (const wrapper of controllers) {
    const instance = wrapper.instance as object | undefined;
    if (!instance) continue;
    const ctrl = wrapper.metatype as unknown as object;
    const base = String(Reflect.getMetadata(PATH_METADATA, ctrl) ?? '');
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = (instance as Record<string, unknown>)[name] as object;
      const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (sub === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const path = `/${API.replace(/^\//, '')}/${base}/${sub}`
        .replace(/\/+/g, '/')
        .replace(/\/$/, '');
      const rule = (Reflect.getMetadata(ACCESS_RULE, handler) ??
        Reflect.getMetadata(ACCESS_RULE, ctrl)) as AccessRule | undefined;
      const useCase = Reflect.getMetadata(USE_CASE, handler) as
        UseCaseOptions | NotAUseCase | undefined;
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, instance.constructor, name) ??
        {}) as Record<string, unknown>;
      const takesBody = Object.keys(args).some(
        (k) => Number(k.split(':')[0]) === RouteParamtypes.BODY,
      );
      const noBody = Reflect.getMetadata(NO_BODY, handler) === true;
      routes.push({ method, path, rule, useCase, takesBody, noBody });
    }
  }
  return routes;
}
