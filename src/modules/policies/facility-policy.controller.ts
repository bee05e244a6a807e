import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '../../common/auth/access.decorator';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param.decorator';
import { Clock } from '../../common/time/clock';
import { DomainError } from '../../common/errors/domain-error';
import { isInstant } from '../../common/http/validators';
import {
  FacilityPolicyDto,
  PolicyChangeDto,
  PolicyChangesDto,
  PolicyChangesQueryDto,
} from './dto/policy.dto';
import { PolicyService } from './policy.service';

const POLICY_HEADERS = {
  ETag: {
    description: 'Of the resolved content: send it back in If-None-Match',
    required: true,
    schema: { type: 'string' },
  },
  'Cache-Control': { description: '`no-cache`: revalidate', schema: { type: 'string' } },
};

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

@ApiTags('policies')
@Controller('facilities/:facilityId/policy')
export class FacilityPolicyController {
  constructor(
    private readonly policies: PolicyService,
    private readonly clock: Clock,
  ) {}

  /**
   * The policy in force in the facility at an instant (now by default): each key's value, the
   * version that supplied it, and `validUntil`, the next scheduled change. Answers carry an
   * `ETag` (of the resolved content); send it back in `If-None-Match` to get 304 while nothing changed.
   */
  @Get()
  @Access({ staff: 'any', terminals: 'any', facilityParam: 'facilityId' })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'The ETag of an answer already held: 304 while it is still the answer',
  })
  @ApiQuery({
    name: 'at',
    required: false,
    description: 'An instant with its offset; now when absent',
    schema: { type: 'string', format: 'date-time' },
  })
  @ApiOkResponse({ type: FacilityPolicyDto, headers: POLICY_HEADERS })
  @ApiResponse({
    status: 304,
    description: 'Not modified: the ETag still matches',
    headers: POLICY_HEADERS,
  })
  @ApiProblems(400, 401, 403, 404)
  async get(
    @UuidParam('facilityId') facilityId: string,
    @Query('at') atParam: unknown,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | undefined> {
    // checked by hand rather than through a DTO: this is the hottest read of every terminal
    if (atParam !== undefined && !isInstant(atParam)) {
      throw new DomainError('VALIDATION_FAILED', 'at must be an ISO 8601 instant with an offset', [
        {
          field: 'at',
          message: 'at must be an ISO 8601 instant with an offset, e.g. 2026-04-01T00:00:00+05:00',
        },
      ]);
    }
    const at = atParam !== undefined ? new Date(atParam) : this.clock.now();
    const r = await this.policies.resolve(facilityId, at);
    void reply.header('etag', r.etag).header('cache-control', 'no-cache');
    if (matches(ifNoneMatch, r.etag)) {
      void reply.status(304);
      return undefined;
    }
    void reply.header('content-type', 'application/json; charset=utf-8');
    return `{"facilityId":"${facilityId}","at":"${at.toISOString()}",${r.jsonTail}`;
  }

  /** What changed in this facility between two instants: each key, from what, to what, by which version. */
  @Get('changes')
  @Access({ staff: 'any', facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 403, 404)
  async changes(
    @UuidParam('facilityId') facilityId: string,
    @Query() q: PolicyChangesQueryDto,
  ): Promise<PolicyChangesDto> {
    const from = new Date(q.from);
    const to = new Date(q.to);
    if (from > to) {
      throw new DomainError('VALIDATION_FAILED', 'from must not be after to', [
        { field: 'from', message: 'after to' },
      ]);
    }
    const changes = await this.policies.changes(facilityId, from, to);
    return {
      facilityId,
      from: from.toISOString(),
      to: to.toISOString(),
      changes: changes.map(PolicyChangeDto.from),
    };
  }
}
