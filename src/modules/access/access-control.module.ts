import { Global, Module } from '@nestjs/common';
import { AccessRepository } from './access.repository';
import { AccessService } from './access.service';

/**
 * The access service, for every module: global, and apart from the access module (which imports
 * the facilities module) so that the modules it serves need not import what imports them.
 */
@Global()
@Module({
  providers: [AccessRepository, AccessService],
  exports: [AccessService],
})
export class AccessControlModule {}
