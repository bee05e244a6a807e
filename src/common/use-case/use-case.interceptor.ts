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
import { USE_CASE, UseCaseOptions } from './use-case.decorator';
import { UseCaseRunner } from './use-case.runner';

/**
 * Runs every handler declared `@UseCase` through the runner: the handler stays a one-liner that
 * calls its service, and a replayed answer goes out with `Idempotent-Replayed: true`.
 */
@Injectable()
export class UseCaseInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly runner: UseCaseRunner,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const opts = this.reflector.get<UseCaseOptions | { notAUseCase: string } | undefined>(
      USE_CASE,
      ctx.getHandler(),
    );
    if (!opts || 'notAUseCase' in opts || ctx.getType() !== 'http') return next.handle();
    const http = ctx.switchToHttp();
    const req = http.getRequest<FastifyRequest & { principal?: Principal }>();
    const reply = http.getResponse<FastifyReply>();
    const header = req.headers['idempotency-key'];
    const outcome = this.runner.run(
      {
        key: Array.isArray(header) ? header.join(',') : header,
        actor: req.principal,
        route: routeOf(ctx, req.method),
        input: { ...(req.params as object), ...(req.body ?? {}) },
        status:
          this.reflector.get<number | undefined>(HTTP_CODE_METADATA, ctx.getHandler()) ??
          (req.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK),
      },
      opts,
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
