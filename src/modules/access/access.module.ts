import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Env } from '../../config/env.schema';
import { FacilitiesModule } from '../facilities/facilities.module';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { StaffAccountEntity, StaffFacilityScopeEntity } from './entities/staff-account.entity';
import { PasswordHasher } from './password-hasher';
import { StaffAccountsService } from './staff-accounts.service';
import { StaffAuthService } from './staff-auth.service';
import { StaffController } from './staff.controller';
import { StaffRepository } from './staff.repository';

@Module({
  imports: [
    TypeOrmModule.forFeature([StaffAccountEntity, StaffFacilityScopeEntity]),
    JwtModule.registerAsync({
      inject: [Env],
      useFactory: (env: Env) => ({ secret: env.JWT_SECRET, signOptions: { algorithm: 'HS256' } }),
    }),
    FacilitiesModule,
  ],
  controllers: [AuthController, StaffController],
  providers: [
    StaffRepository,
    PasswordHasher,
    StaffAuthService,
    StaffAccountsService,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [StaffAccountsService],
})
export class AccessModule {}
