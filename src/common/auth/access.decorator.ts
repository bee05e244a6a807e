import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { Principal } from './principal';
import { StaffRole, TerminalKind } from './roles';

export const ACCESS_RULE = 'access:rule';

/**
 * Who may call a route. Every route carries one (a test walks them all); a route without one is
 * refused at run time. Callers not named get 403; no or bad credentials get 401.
 */
export interface AccessRule {
  /** Anyone, no credentials. */
  public?: true;
  /** Staff holding at least one of these roles; `any` = every signed-in staff member. */
  staff?: readonly StaffRole[] | 'any';
  /** Terminals of these kinds (`any` = every kind), in their own facility only. */
  terminals?: readonly TerminalKind[] | 'any';
  /** Signed-in relatives; the use case checks their links to the prisoner. */
  relative?: true;
  /**
   * Name of the path parameter holding a facility id: the caller must work in that facility
   * (else 404, never revealing what exists elsewhere).
   */
  facilityParam?: string;
  /**
   * Only national staff: the answer covers every facility (the ledger's reconciliation, asking
   * Stripe about every open deposit, creating facilities). A facility-scoped caller gets 403.
   */
  national?: true;
}

/** The OpenAPI extension that carries a route's rule to the document (see normalize-document). */
export const ACCESS_EXTENSION = 'x-access';

export const Access = (rule: AccessRule): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ACCESS_RULE, rule), ApiExtension(ACCESS_EXTENSION, rule));

export const Public = (): MethodDecorator & ClassDecorator => Access({ public: true });

/** The authenticated caller (set by the access guard). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal | undefined =>
    ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal,
);
