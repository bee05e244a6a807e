import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ACCESS_RULE, AccessRule } from '../../common/auth/access.decorator';
import { canAccessFacility, Principal } from '../../common/auth/principal';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { StaffAuthService } from './staff-auth.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type GuardedRequest = FastifyRequest & { principal?: Principal };

/**
 * The one gate every route passes. Reads the route's `@Access` rule; a route without one is
 * refused (fail closed). Authenticates, checks the role, and the facility scope of a facility
 * path parameter; object-level checks on other ids happen in the use cases.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly staffAuth: StaffAuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (!rule) {
      this.logger.error(
        `route ${ctx.getClass().name}.${ctx.getHandler().name} declares no access rule`,
      );
      throw new DomainError('FORBIDDEN', 'This route is not open to anyone');
    }
    if (rule.public) return true;

    const req = ctx.switchToHttp().getRequest<GuardedRequest>();
    const principal = await this.authenticate(req);
    if (!principal)
      throw new DomainError('UNAUTHENTICATED', 'A valid bearer token is required', [], {
        'www-authenticate': 'Bearer',
      });
    req.principal = principal;

    const roles = rule.staff;
    const roleOk = roles === 'any' ? true : (roles ?? []).some((r) => principal.roles.has(r));
    if (!roleOk) throw new DomainError('FORBIDDEN', 'Your roles do not allow this');

    if (rule.facilityParam) {
      const params = req.params as Record<string, string | undefined>;
      const facilityId = params[rule.facilityParam];
      // A malformed id is left to the parameter pipe (400); a well-formed one outside the
      // caller's scope is answered as if it did not exist.
      if (facilityId && UUID.test(facilityId) && !canAccessFacility(principal, facilityId)) {
        throw new NotFoundError('Facility');
      }
    }
    return true;
  }

  private async authenticate(req: FastifyRequest): Promise<Principal | null> {
    const header = req.headers.authorization;
    if (!header) return null;
    const m = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(header.trim());
    if (!m) return null;
    return this.staffAuth.authenticate(m[1]);
  }
}
