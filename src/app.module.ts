import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { CommonModule } from './common/common.module';
import { Env } from './config/env.schema';
import { loggerParams } from './common/http/logging';
import { baseDataSourceOptions } from './database/data-source';
import { AccessModule } from './modules/access/access.module';
import { AuditModule } from './modules/audit/audit.module';
import { VisitsModule } from './modules/visits/visits.module';
import { PoliciesModule } from './modules/policies/policies.module';
import { ParcelsModule } from './modules/parcels/parcels.module';
import { CardsModule } from './modules/cards/cards.module';
import { CareModule } from './modules/care/care.module';
import { PayphonesModule } from './modules/payphones/payphones.module';
import { FacilitiesModule } from './modules/facilities/facilities.module';
import { HealthModule } from './modules/health/health.module';
import { DemoSeedService } from './seed/demo-seed.service';
import { FirstStartService } from './seed/first-start.service';

@Module({})
export class AppModule {
  /** The whole application for an already validated configuration. */
  static forRoot(env: Env, logger: Logger): DynamicModule {
    if (!env.DATABASE_URL)
      throw new Error('DATABASE_URL must be resolved before the app module is built');
    const url = env.DATABASE_URL;
    return {
      module: AppModule,
      global: true,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ ...env })] }),
        LoggerModule.forRoot(loggerParams(logger)),
        TypeOrmModule.forRoot({
          ...baseDataSourceOptions(
            url,
            env.DB_POOL_SIZE,
            env.DB_CONNECT_TIMEOUT_SECONDS * 1000,
            env.DB_IDLE_IN_TRANSACTION_SECONDS * 1000,
          ),
          autoLoadEntities: true,
        }),
        CommonModule,
        AuditModule,
        HealthModule,
        FacilitiesModule,
        AccessModule,
        VisitsModule,
        PoliciesModule,
        ParcelsModule,
        CardsModule,
        CareModule,
        PayphonesModule,
      ],
      providers: [{ provide: Env, useValue: env }, FirstStartService, DemoSeedService],
      exports: [Env],
    };
  }
}
