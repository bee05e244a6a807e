import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal, Public } from '../../common/auth/access.decorator';
import { Principal } from '../../common/auth/principal';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { CheckpointService } from './checkpoint.service';
import {
  CheckpointDto,
  ConsistencyDto,
  ConsistencyQueryDto,
  PublicKeyDto,
} from './dto/checkpoint.dto';

/**
 * What lets an outside body hold the administration to its trail: signed checkpoints, the proof
 * that the trail still contains an earlier one, and an export to check it all with the
 * independent verifier (`npx prisoner-services-verify`).
 */
@ApiTags('audit')
@Controller('audit')
export class AuditOversightController {
  constructor(private readonly checkpoints: CheckpointService) {}

  /**
   * A signed statement of the trail as of now: every chain's length and head hash (within the
   * auditor's facilities; national auditors also get the national chain), the time, one root hash
   * over them all, signed with the service's Ed25519 key. The service keeps it too (by its id).
   * Keep it outside the administration's reach: later, `/audit/consistency` and the verifier show
   * whether the trail still contains it.
   */
  @Get('checkpoint')
  @Access({ staff: ['auditor'] })
  @ApiProblems(401, 403)
  async checkpoint(@CurrentPrincipal() actor: Principal): Promise<CheckpointDto> {
    return CheckpointDto.from(await this.checkpoints.take(actor));
  }

  /** The public key that verifies checkpoints (SPKI PEM), and its id. */
  @Get('public-key')
  @Public()
  publicKey(): PublicKeyDto {
    return this.checkpoints.publicKey();
  }

  /**
   * Whether the trail still contains an earlier checkpoint: every chain of it (in the auditor's
   * scope) recomputed from its first event, and still passing through the checkpoint's head.
   * `ok: false` names the first chain (in chain key order) and the first position where history
   * differs. A checkpoint this service's key did not sign is refused (422).
   */
  @Get('consistency')
  @Access({ staff: ['auditor'] })
  @ApiProblems(400, 401, 403, 404, 422)
  consistency(
    @Query() q: ConsistencyQueryDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ConsistencyDto> {
    return this.checkpoints.consistency(actor, q.from);
  }
}
