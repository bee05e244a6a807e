import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigError, Env } from '../config/env.schema';
import { StaffAccountsService } from '../modules/access/staff-accounts.service';
import { DemoSeedService } from './demo-seed.service';
import { PolicyFilesLoader } from '../modules/policies/policy-files.loader';

/** What has to exist before the first request: the first administrator, and demo data if asked. */
@Injectable()
export class FirstStartService implements OnApplicationBootstrap {
  constructor(
    private readonly env: Env,
    private readonly accounts: StaffAccountsService,
    private readonly demo: DemoSeedService,
    private readonly policyFiles: PolicyFilesLoader,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.env.ADMIN_PASSWORD) {
      await this.accounts.ensureFirstAdmin(this.env.ADMIN_USERNAME, this.env.ADMIN_PASSWORD);
    } else if (!(await this.accounts.hasAnyAccount())) {
      throw new ConfigError(
        'Invalid configuration:\n  - ADMIN_PASSWORD: required on first start (the database has no staff account)',
      );
    }
    await this.policyFiles.load();
    if (this.env.SEED_DEMO) await this.demo.seed();
  }
}
