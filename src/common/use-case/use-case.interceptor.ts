import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, map, Observable } from 'rxjs';
import type { Principal } from '../auth/principal';
import { NotAUseCase, USE_CASE, UseCaseOptions } from './use-case.decorator';
import { UseCaseRunner } from './use-case.runner';

/** What a route's use case needs from its declarations, read once per route. */
interface RouteUseCase {
  opts: UseCaseOptions;
  /** The route as the contract writes it: `POST /charges/{id}/refunds`. */
  route: string;
  /** Its success status, kept with the answer. */
  status: number;
}

/**
 * Runs every handler declared `@UseCase` through the runner: the handler stays a one-liner that
 * calls its service, and a replayed answer goes out with `Idempotent-Replayed: true`.
 */
@Injectable()
export class UseCaseInterceptor implements NestInterceptor {
  // by handler: `null` for a route that is not a use case
  private readonly routes = new WeakMap<object, RouteUseCase | null>();

  constructor(
    private readonly reflector: Reflector,
    private readonly runner: UseCaseRunner,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const http = ctx.switchToHttp();
    const req = http.getRequest<FastifyRequest & { principal?: Principal }>();
    const useCase = this.useCaseOf(ctx, req.method);
    if (!useCase) return next.handle();
    const reply = http.getResponse<FastifyReply>();
    const header = req.headers['idempotency-key'];
    const outcome = this.runner.run(
      {
        key: Array.isArray(header) ? header.join(',') : header,
        actor: req.principal,
        route: useCase.route,
        input: { ...(req.params as object), ...(req.body ?? {}) },
        status: useCase.status,
      },
      useCase.opts,
      // a fresh call of the handler on each attempt, inside the attempt's transaction
      () => lastValueFrom(next.handle(), { defaultValue: undefined }),
    );
    return from(outcome).pipe(
      map((o) => {
        void reply.status(o.status);
        if (o.replayed) void reply.header('idempotent-replayed', 'true');
        return o.body;
      }),
    );
  }

  private useCaseOf(ctx: ExecutionContext, method: string): RouteUseCase | null {
    const handler = ctx.getHandler();
    let found = this.routes.get(handler);
    if (found === undefined) {
      const opts = this.reflector.get<UseCaseOptions | NotAUseCase | undefined>(USE_CASE, handler);
      found =
        !opts || 'notAUseCase' in opts
          ? null
          : {
              opts,
              route: routeOf(ctx, method),
              status:
                this.reflector.get<number | undefined>(HTTP_CODE_METADATA, handler) ??
                (method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK),
            };
      this.routes.set(handler, found);
    }
    return found;
  }
}

/** The route as the contract writes it: `POST /charges/{id}/refunds`. */
function routeOf(ctx: ExecutionContext, method: string): string {
  const base = String(Reflect.getMetadata(PATH_METADATA, ctx.getClass()) ?? '');
  const sub = String(Reflect.getMetadata(PATH_METADATA, ctx.getHandler()) ?? '');
  const path = `/${base}/${sub}`
    .replace(/\/+/g, '/')
    .replace(/\/$/, '')
    .replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  return `${method} ${path || '/'}`;
}
