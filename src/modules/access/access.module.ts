import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Env } from '../../config/env.schema';
import { FacilitiesModule } from '../facilities/facilities.module';
import { AccessControlModule } from './access-control.module';
import { AccessGuard } from './access.guard';
import { AuthThrottleGuard } from './auth-throttle.guard';
import { AuthController } from './auth.controller';
import { RelativeEntity } from './entities/relative.entity';
import { StaffAccountEntity, StaffFacilityScopeEntity } from './entities/staff-account.entity';
import { TerminalEntity } from './entities/terminal.entity';
import { PasswordHasher } from './password-hasher';
import { RelativeAccountsService } from './relative-accounts.service';
import { RelativesController } from './relatives.controller';
import { RelativesRepository } from './relatives.repository';
import { SignInAttemptsRepository } from './sign-in-attempts.repository';
import { SignInGuardService } from './sign-in-guard.service';
import { StaffAccountsService } from './staff-accounts.service';
import { StaffAuthService } from './staff-auth.service';
import { StaffController } from './staff.controller';
import { StaffRepository } from './staff.repository';
import { TerminalsController } from './terminals.controller';
import { TerminalsRepository } from './terminals.repository';
import { TerminalsService } from './terminals.service';
import { TokenService } from './token.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      StaffAccountEntity,
      StaffFacilityScopeEntity,
      TerminalEntity,
      RelativeEntity,
    ]),
    JwtModule.registerAsync({
      inject: [Env],
      useFactory: (env: Env) => {
        // A KeyObject made once: given a string, jsonwebtoken first tries it as a public key (and
        // fails, an exception per call) and builds a new secret key on every sign and verify.
        const key = createSecretKey(Buffer.from(env.JWT_SECRET!, 'utf8'));
        return { secretOrKeyProvider: () => key, signOptions: { algorithm: 'HS256' } };
      },
    }),
    // In memory, per instance: the sign-in lockout (in the database) is what holds across instances.
    ThrottlerModule.forRootAsync({
      inject: [Env],
      useFactory: (env: Env) => ({
        throttlers: [
          { name: 'default', ttl: env.AUTH_THROTTLE_TTL * 1000, limit: env.AUTH_THROTTLE_LIMIT },
        ],
      }),
    }),
    AccessControlModule,
    FacilitiesModule,
  ],
  controllers: [AuthController, StaffController, TerminalsController, RelativesController],
  providers: [
    StaffRepository,
    TerminalsRepository,
    RelativesRepository,
    PasswordHasher,
    TokenService,
    SignInAttemptsRepository,
    SignInGuardService,
    StaffAuthService,
    StaffAccountsService,
    TerminalsService,
    RelativeAccountsService,
    AuthThrottleGuard,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [StaffAccountsService, RelativeAccountsService, TerminalsService],
})
export class AccessModule {}
