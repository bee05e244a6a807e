import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { isInstant, isLocalDate } from '../../common/http/validators';
import { canonicalJson } from '../../common/json/canonical-json';
import { Clock } from '../../common/time/clock';
import { DomainError } from '../../common/errors/domain-error';
import { ConfigError, Env } from '../../config/env.schema';
import { AuditService } from '../audit/audit.service';
import { validateValues } from './domain/catalog';
import { PolicyAuthoringService, Publishable } from './policy-authoring.service';
import { PolicyVersionsRepository } from './policy-versions.repository';
import { PolicyService } from './policy.service';

const LOAD_LOCK = 71_512_028;

interface PolicyFile {
  title?: string;
  scope: 'national';
  effectiveOn?: string;
  effectiveFrom?: string;
  reason: string;
  /** Keys whose values are illustrative defaults, not the law's text. */
  illustrativeKeys?: string[];
  values: Record<string, unknown>;
}

async function listJson(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listJson(p)));
    else if (e.name.endsWith('.json')) out.push(p);
  }
  return out.sort();
}

function parse(rel: string, text: string): PolicyFile {
  let f: PolicyFile;
  try {
    f = JSON.parse(text) as PolicyFile;
  } catch (err) {
    throw new ConfigError(`${rel}: not valid JSON (${(err as Error).message})`);
  }
  const problems: string[] = [];
  if (f.scope !== 'national') problems.push('scope must be "national"');
  if ((f.effectiveOn === undefined) === (f.effectiveFrom === undefined))
    problems.push('give effectiveOn or effectiveFrom');
  if (f.effectiveOn !== undefined && !isLocalDate(f.effectiveOn))
    problems.push('effectiveOn must be YYYY-MM-DD');
  if (f.effectiveFrom !== undefined && !isInstant(f.effectiveFrom))
    problems.push('effectiveFrom must be an instant with offset');
  if (typeof f.reason !== 'string' || !f.reason.trim()) problems.push('reason is required');
  if (typeof f.values !== 'object' || f.values === null) problems.push('values must be an object');
  else problems.push(...validateValues(f.values).map((p) => p.message));
  if (problems.length) throw new ConfigError(`${rel}: ${problems.join('; ')}`);
  return f;
}

/**
 * Loads the baseline, the reform and the MCI history from config/policies/ as published national
 * versions, at every start, idempotently: a file already loaded is skipped; a file whose content
 * differs from what was loaded stops the start (history is changed by publishing a new version,
 * never by editing a loaded file). Past starts are history only at the first start, into a
 * database that has published nothing: a file added later is a publication like one through the
 * API (no start before now, nor sooner than the minimum lead), or it would change answers already
 * given. At any start, two versions may not set the same key from the same moment.
 */
@Injectable()
export class PolicyFilesLoader {
  private readonly logger = new Logger(PolicyFilesLoader.name);

  constructor(
    private readonly env: Env,
    private readonly uow: UnitOfWork,
    private readonly versions: PolicyVersionsRepository,
    private readonly policies: PolicyService,
    private readonly authoring: PolicyAuthoringService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async load(): Promise<number> {
    const dir = path.resolve(this.env.POLICY_DIR);
    const files = await listJson(dir).catch((err: unknown) => {
      throw new ConfigError(`POLICY_DIR: cannot read ${dir} (${(err as Error).message})`);
    });
    let loaded = 0;
    await this.uow.run(async () => {
      await this.uow.lock(LOAD_LOCK);
      const loadedBefore = await this.versions.bySourceFile();
      const firstLoad = !(await this.versions.anyPublished());
      for (const file of files) {
        const rel = path.relative(dir, file).split(path.sep).join('/');
        const f = parse(rel, await fs.readFile(file, 'utf8'));
        const hash = createHash('sha256').update(canonicalJson(f)).digest('hex');
        const existing = loadedBefore.get(rel);
        if (existing) {
          if (existing.sourceHash !== hash) {
            throw new ConfigError(
              `config/policies/${rel} differs from the version loaded from it on ${existing.publishedAt?.toISOString()} ` +
                `(${existing.id}). Published history does not change: restore the file and publish a new version.`,
            );
          }
          continue;
        }
        const now = this.clock.now();
        const start: Publishable = {
          facilityId: null,
          effectiveOn: f.effectiveOn ?? null,
          effectiveFrom: f.effectiveFrom ? new Date(f.effectiveFrom) : null,
          values: f.values,
        };
        await this.assertPublication(rel, start, now, firstLoad);
        const v = await this.versions.insert({
          ...start,
          reason: f.reason,
          status: 'published',
          createdAt: now,
          publishedAt: now,
          sourceFile: rel,
          sourceHash: hash,
          notes: f.illustrativeKeys?.length
            ? `Illustrative defaults, not the law's text: ${f.illustrativeKeys.join(', ')}`
            : null,
        });
        this.audit.record({
          action: 'policy.load-file',
          targetType: 'policy-version',
          targetId: v.id,
          facilityId: null,
          summary: {
            file: rel,
            sha256: hash,
            effectiveOn: f.effectiveOn ?? null,
            keys: Object.keys(f.values),
          },
          actor: null,
        });
        loaded++;
      }
    });
    if (loaded > 0) {
      this.policies.invalidate();
      this.logger.log(`loaded ${loaded} policy version(s) from ${dir}`);
    }
    return loaded;
  }

  /** The API's publication checks, refused as a start failure that names the file. */
  private async assertPublication(
    rel: string,
    start: Publishable,
    now: Date,
    firstLoad: boolean,
  ): Promise<void> {
    try {
      await this.authoring.assertPublication(start, now, { pastAllowed: firstLoad });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const late = err.code === 'EFFECTIVE_IN_PAST' || err.code === 'POLICY_LEAD_TOO_SHORT';
      // (the API's "edit the draft" advice does not apply to a file)
      const reason = err.code === 'EFFECTIVE_IN_PAST' ? err.message.split(';')[0] : err.message;
      throw new ConfigError(
        `config/policies/${rel}: ${reason}.` +
          (late
            ? ' A file with an earlier start is loaded only at the first start, into a database that has' +
              ' published nothing yet; this one has, and the file would change answers already given.' +
              ' Publish the change as a new version with a future start (POST /api/v1/policy-versions,' +
              ' then /publish),' +
              ' or give the file one.'
            : ''),
      );
    }
  }
}
