import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ACCESS_RULE, AccessRule } from '../../common/auth/access.decorator';
import { Principal } from '../../common/auth/principal';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { AccessService } from './access.service';
import { RelativeAccountsService } from './relative-accounts.service';
import { StaffAuthService } from './staff-auth.service';
import { TerminalsService } from './terminals.service';
import { TokenService } from './token.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The scheme is case-insensitive (RFC 9110 §11.1): `bearer …` is as good as `Bearer …`.
const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;

type GuardedRequest = FastifyRequest & { principal?: Principal };

function unauthenticated(detail: string): DomainError {
  return new DomainError('UNAUTHENTICATED', detail, [], { 'www-authenticate': 'Bearer, ApiKey' });
}

/** Whether the rule admits this kind of caller (and, for staff, one of their roles). */
export function admits(rule: AccessRule, p: Principal): boolean {
  switch (p.kind) {
    case 'staff':
      return rule.staff === 'any' || (rule.staff ?? []).some((r) => p.roles.has(r));
    case 'terminal':
      return rule.terminals === 'any' || (rule.terminals ?? []).includes(p.terminalKind);
    case 'relative':
      return rule.relative === true;
  }
}

/**
 * The one gate every route passes. Reads the route's `@Access` rule; a route without one is
 * refused (fail closed). Authenticates a bearer token (staff or relative) or an API key
 * (terminal), checks the caller against the rule, and the facility scope of a facility path
 * parameter; object-level checks on other ids happen in the use cases.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly staffAuth: StaffAuthService,
    private readonly relatives: RelativeAccountsService,
    private readonly terminals: TerminalsService,
    private readonly access: AccessService,
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
    req.principal = principal;
    if (!admits(rule, principal)) throw new DomainError('FORBIDDEN', 'Not allowed for this caller');
    if (rule.national && !this.access.isNational(principal)) {
      throw new DomainError(
        'FORBIDDEN',
        'Only national staff may call this: it covers every facility',
      );
    }

    if (rule.facilityParam) {
      const facilityId = (req.params as Record<string, string | undefined>)[rule.facilityParam];
      // A malformed id is left to the parameter pipe (400); a well-formed one outside the
      // caller's facilities is answered as if it did not exist.
      if (facilityId && UUID.test(facilityId) && !this.access.inFacility(principal, facilityId)) {
        throw new NotFoundError('Facility');
      }
    }
    return true;
  }

  private async authenticate(req: FastifyRequest): Promise<Principal> {
    const apiKey = req.headers['x-api-key'];
    const authorization = req.headers.authorization;
    if (apiKey !== undefined && authorization !== undefined) {
      throw unauthenticated('Send either a bearer token or an API key, not both');
    }
    if (apiKey !== undefined) {
      const p = typeof apiKey === 'string' ? await this.terminals.authenticate(apiKey) : null;
      if (!p) throw unauthenticated('The API key is not valid');
      return p;
    }
    if (!authorization) throw unauthenticated('Credentials are required');
    const m = BEARER.exec(authorization.trim());
    const claims = m ? await this.tokens.verify(m[1]) : null;
    const p =
      claims?.typ === 'staff'
        ? await this.staffAuth.principal(claims.sub)
        : claims?.typ === 'relative'
          ? await this.relatives.principal(claims.sub)
          : null;
    if (!p) throw unauthenticated('The bearer token is not valid');
    return p;
  }
}
