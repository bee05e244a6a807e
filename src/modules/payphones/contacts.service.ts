import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { isUniqueViolation } from '../../common/database/pg-errors';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import {
  decodeCursor,
  listScope,
  Page,
  pageLimit,
  PageQueryDto,
  toPage,
} from '../../common/http/pagination';
import { Clock } from '../../common/time/clock';
import { AccessService } from '../access/access.service';
import { RelativeAccountsService } from '../access/relative-accounts.service';
import { AuditService } from '../audit/audit.service';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { PolicyService } from '../policies/policy.service';
import { ContactDecision, decide, removable, roomForAnother } from './domain/contact.rules';
import { normalisePhoneNumber } from './domain/phone-number';
import { ContactDto, CreateContactDto } from './dto/contact.dto';
import { ContactRow, ContactsRepository } from './contacts.repository';

const MAX_CONTACTS = 'payphones.maxContacts';

/**
 * A prisoner's list of numbers: asked for by a phone officer or by a linked relative (their own
 * number), approved or rejected by a phone officer, removable. The list is capped by policy.
 */
@Injectable()
export class ContactsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly contacts: ContactsRepository,
    private readonly prisoners: PrisonerRegistryService,
    private readonly policies: PolicyService,
    private readonly relatives: RelativeAccountsService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async request(prisonerId: string, dto: CreateContactDto, actor: Principal): Promise<ContactDto> {
    const p = await this.prisoners.require(prisonerId, actor);
    const byRelative = actor.kind === 'relative';
    if (byRelative && dto.legal) {
      throw new DomainError('FORBIDDEN', 'Only staff mark a number as a lawyer’s (legal)', [
        { field: 'legal', message: 'set by staff only' },
      ]);
    }
    if (actor.kind === 'relative') {
      const own = normalisePhoneNumber(await this.relatives.phoneOf(actor));
      if (own !== dto.phoneNumber) {
        throw new DomainError(
          'NOT_OWN_NUMBER',
          'A relative asks only for the number they registered with',
          [{ field: 'phoneNumber', message: 'not the number of your account' }],
        );
      }
    }
    if (p.status !== 'held') throw new DomainError('PRISONER_NOT_HELD', 'The prisoner is not held');
    const now = this.clock.now();
    const policy = await this.policies.resolve(p.facilityId, now);
    const max = this.policies.valueFor<number>(policy, MAX_CONTACTS, p);
    if (max.value === undefined)
      throw new DomainError('POLICY_MISSING', `No policy in force sets ${MAX_CONTACTS}`);

    return this.uow.run(async () => {
      await this.contacts.lockList(p.id);
      if (!roomForAnother(await this.contacts.countLive(p.id), max.value!)) {
        throw new DomainError(
          'CONTACT_LIMIT',
          `The prisoner already has ${max.value} numbers pending or approved`,
        );
      }
      let id: string;
      try {
        id = await this.contacts.insert({
          prisonerId: p.id,
          phoneNumber: dto.phoneNumber,
          name: dto.name,
          relationship: dto.relationship,
          legal: dto.legal ?? false,
          requestedByKind: byRelative ? 'relative' : 'staff',
          requestedById: actor.id,
          relativeId: byRelative ? actor.id : null,
          createdAt: now,
        });
      } catch (err) {
        if (isUniqueViolation(err, 'payphone_contacts_live_number_key')) {
          throw new DomainError('CONTACT_EXISTS', 'This number is on the prisoner’s list already', [
            { field: 'phoneNumber', message: 'already pending or approved' },
          ]);
        }
        throw err;
      }
      this.audit.record({
        action: 'contact.request',
        targetType: 'contact',
        targetId: id,
        facilityId: p.facilityId,
        summary: {
          prisonerId: p.id,
          phoneNumber: dto.phoneNumber,
          relationship: dto.relationship,
          legal: dto.legal ?? false,
        },
        policyVersionIds: max.versionId ? [max.versionId] : [],
        actor,
      });
      return ContactDto.from((await this.contacts.find(id))!);
    });
  }

  decide(
    id: string,
    decision: ContactDecision,
    reason: string | null,
    actor: Principal,
  ): Promise<ContactDto> {
    return this.uow.run(async () => {
      const c = await this.held(id, actor);
      const to = decide(c.status, decision);
      if (!to) throw new DomainError('CONTACT_NOT_PENDING', `The contact is ${c.status}`);
      const now = this.clock.now();
      await this.contacts.decide(c.id, to, reason, actor.id, now);
      this.audit.record({
        action: `contact.${decision}`,
        targetType: 'contact',
        targetId: c.id,
        facilityId: c.facilityId,
        summary: { prisonerId: c.prisonerId, phoneNumber: c.phoneNumber, reason },
        actor,
      });
      return ContactDto.from({ ...c, status: to, rejectReason: reason, decidedAt: now });
    });
  }

  remove(id: string, actor: Principal): Promise<ContactDto> {
    return this.uow.run(async () => {
      const c = await this.held(id, actor);
      if (!removable(c.status))
        throw new DomainError('CONTACT_NOT_REMOVABLE', `The contact is ${c.status}`);
      await this.contacts.remove(c.id, this.clock.now());
      this.audit.record({
        action: 'contact.remove',
        targetType: 'contact',
        targetId: c.id,
        facilityId: c.facilityId,
        summary: { prisonerId: c.prisonerId, phoneNumber: c.phoneNumber, was: c.status },
        actor,
      });
      return ContactDto.from({ ...c, status: 'removed' });
    });
  }

  /** Staff see the whole list; a linked relative only the numbers they asked for. */
  async list(prisonerId: string, q: PageQueryDto, actor: Principal): Promise<Page<ContactDto>> {
    await this.prisoners.require(prisonerId, actor);
    const limit = pageLimit(q);
    const rows = await this.contacts.list(
      prisonerId,
      actor.kind === 'relative' ? actor.id : null,
      decodeCursor(q.cursor, listScope('contacts', prisonerId)),
      limit,
    );
    return toPage(
      rows,
      limit,
      (c) => ({ k: c.createdAt.toISOString(), id: c.id }),
      ContactDto.from,
      listScope('contacts', prisonerId),
    );
  }

  /** The contact, locked, if the caller may touch it; 404 otherwise. */
  private async held(id: string, actor: Principal): Promise<ContactRow> {
    const c = await this.contacts.find(id, true);
    if (!c) throw new NotFoundError('Contact');
    await this.access.requireHeld(actor, 'contact', c);
    return c;
  }
}
