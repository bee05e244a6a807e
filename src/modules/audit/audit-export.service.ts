import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { Principal } from '../../common/auth/principal';
import { AccessService } from '../access/access.service';
import { AuditRepository } from './audit.repository';
import { baseChain } from './domain/audit-chain';
import { AuditEventDto } from './dto/audit.dto';
import { AuditExportQueryDto } from './dto/checkpoint.dto';

/** Lines are sent in chunks of about this many bytes. */
const CHUNK_BYTES = 64 * 1024;

/**
 * The trail as NDJSON, one event a line with every column its hash covers: chain by chain, each
 * in position order, read page by page (never the whole table in memory; the stream is pulled
 * as the client reads, so a slow reader holds one page, not the trail).
 */
@Injectable()
export class AuditExportService {
  constructor(
    private readonly repo: AuditRepository,
    private readonly access: AccessService,
  ) {}

  /** Checks the caller's scope first (a refusal is then a proper answer), then streams. */
  async open(actor: Principal, q: AuditExportQueryDto): Promise<Readable> {
    if (q.facilityId) this.access.requireFacility(actor, q.facilityId);
    const chains = (await this.repo.chainKeys())
      .map((h) => h.chainKey)
      .filter((k) =>
        q.facilityId ? baseChain(k) === q.facilityId : this.access.inFacility(actor, baseChain(k)),
      );
    return Readable.from(this.lines(chains, q.fromSeq ?? 1), { objectMode: false });
  }

  private async *lines(chains: string[], fromSeq: number): AsyncGenerator<string> {
    let chunk = '';
    for (const chainKey of chains) {
      for await (const e of this.repo.chain(chainKey, { fromSeq, pageSize: 1000 })) {
        chunk += `${JSON.stringify(AuditEventDto.from(e))}\n`;
        if (chunk.length >= CHUNK_BYTES) {
          yield chunk;
          chunk = '';
        }
      }
    }
    if (chunk) yield chunk;
  }
}
