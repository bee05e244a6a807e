import { Controller, Get, Query, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Access, CurrentPrincipal, Public } from '../../common/auth/access.decorator';
import { Principal } from '../../common/auth/principal';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { AuditExportService } from './audit-export.service';
import { CheckpointService } from './checkpoint.service';
import { AuditEventDto } from './dto/audit.dto';
import {
  AuditExportQueryDto,
  CheckpointDto,
  ConsistencyDto,
  ConsistencyQueryDto,
  PublicKeyDto,
} from './dto/checkpoint.dto';

export const NDJSON = 'application/x-ndjson';

/**
 * What lets an outside body hold the administration to its trail: signed checkpoints, the proof
 * that the trail still contains an earlier one, and an export to check it all with the
 * independent verifier (`npx prisoner-services-verify`).
 */
@ApiTags('audit')
@Controller('audit')
export class AuditOversightController {
  constructor(
    private readonly checkpoints: CheckpointService,
    private readonly exports: AuditExportService,
  ) {}

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

  /**
   * The events as NDJSON (one JSON object a line, as `/audit-events` gives them), with everything
   * needed to recompute their hashes: chain by chain, each in position order, from `fromSeq`.
   * Streamed page by page. Within the auditor's facilities (national auditors: every chain).
   */
  @Get('export')
  @Access({ staff: ['auditor'] })
  @ApiProduces(NDJSON)
  @ApiExtraModels(AuditEventDto)
  @ApiOkResponse({
    description: 'One event a line (NDJSON); each line is an AuditEventDto',
    content: { [NDJSON]: { schema: { $ref: getSchemaPath(AuditEventDto) } } },
  })
  @ApiProblems(400, 401, 403, 404)
  async export(
    @Query() q: AuditExportQueryDto,
    @CurrentPrincipal() actor: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable> {
    const stream = await this.exports.open(actor, q);
    void reply.header('content-type', `${NDJSON}; charset=utf-8`);
    return stream;
  }
}
