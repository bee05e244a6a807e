import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { DomainError } from '../errors/domain-error';
import { isRecord } from './edge-input';
import { notAnObject } from './validation';

/** Marks a POST that takes no body (a route walk checks every body-less write carries it). */
export const NO_BODY = 'no-body';

/**
 * Refuses a body on a route that takes none, like unknown fields anywhere else (400
 * VALIDATION_FAILED naming them): `{ "effectiveFrom": … }` sent to a publish must not look
 * accepted. Nothing, or `{}`, is no body.
 */
@Injectable()
export class RefuseBody implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const body = context.switchToHttp().getRequest<FastifyRequest>().body;
    if (body !== undefined) {
      if (!isRecord(body)) throw notAnObject();
      const fields = Object.keys(body);
      if (fields.length) {
        throw new DomainError(
          'VALIDATION_FAILED',
          'The request is invalid',
          fields.map((f) => ({ field: f, message: `property ${f} should not exist` })),
        );
      }
    }
    return next.handle();
  }
}

/** This write takes no body: one sent with fields is refused (RefuseBody). */
export const NoBody = (): MethodDecorator =>
  applyDecorators(SetMetadata(NO_BODY, true), UseInterceptors(RefuseBody));
