import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Env } from '../../config/env.schema';
import { AccessTokenDto } from './dto/staff.dto';

const ISSUER = 'prisoner-services';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type TokenSubject = 'staff' | 'relative';

export interface TokenClaims {
  sub: string;
  typ: TokenSubject;
}

/** Short-lived HS256 access tokens; the audience names who the token is for. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly env: Env,
  ) {}

  async issue(typ: TokenSubject, sub: string): Promise<AccessTokenDto> {
    const accessToken = await this.jwt.signAsync({ sub, typ } satisfies TokenClaims, {
      issuer: ISSUER,
      audience: typ,
      expiresIn: this.env.JWT_TTL_SECONDS,
    });
    return { accessToken, expiresIn: this.env.JWT_TTL_SECONDS, tokenType: 'Bearer' };
  }

  /** The claims of a valid token (signature, algorithm, issuer, audience, expiry), else null. */
  async verify(token: string): Promise<TokenClaims | null> {
    try {
      const claims = await this.jwt.verifyAsync<TokenClaims>(token, {
        issuer: ISSUER,
        audience: ['staff', 'relative'],
        algorithms: ['HS256'],
      });
      const typOk = claims.typ === 'staff' || claims.typ === 'relative';
      const audOk = (claims as { aud?: unknown }).aud === claims.typ;
      return typOk && audOk && typeof claims.sub === 'string' && UUID.test(claims.sub)
        ? claims
        : null;
    } catch {
      return null;
    }
  }
}
