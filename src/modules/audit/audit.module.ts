import { Global, Module } from '@nestjs/common';
import { AuditExportService } from './audit-export.service';
import { AuditOversightController } from './audit-oversight.controller';
import { AuditQueryService } from './audit-query.service';
import { AuditSigner } from './audit-signer';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { CheckpointRepository } from './checkpoint.repository';
import { CheckpointSchedulerService } from './checkpoint-scheduler.service';
import { CheckpointService } from './checkpoint.service';

/** Global: every module that changes state records through AuditService. */
@Global()
@Module({
  controllers: [AuditController, AuditOversightController],
  providers: [
    AuditRepository,
    AuditService,
    AuditQueryService,
    AuditSigner,
    CheckpointRepository,
    CheckpointService,
    CheckpointSchedulerService,
    AuditExportService,
  ],
  exports: [AuditService],
})
export class AuditModule {}
