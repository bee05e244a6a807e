import { Principal } from '../../common/auth/principal';
import { DomainError } from '../../common/errors/domain-error';
import { AccessObject, AccessRepository } from './access.repository';
import { AccessService } from './access.service';

/** Stands in for the repository: records each question, answers with the ids it was given. */
class AskedRepository {
  readonly asked: string[] = [];
  inFacilities(kind: AccessObject, ids: readonly string[]): Promise<Set<string>> {
    this.asked.push(`inFacilities ${kind} ${ids.join(',')}`);
    return Promise.resolve(new Set(ids));
  }
  ofRelative(kind: AccessObject, ids: readonly string[]): Promise<Set<string>> {
    this.asked.push(`ofRelative ${kind} ${ids.join(',')}`);
    return Promise.resolve(new Set(ids));
  }
}

const staff = (facilityIds: string[] | null): Principal => ({
  kind: 'staff',
  id: 's',
  username: 's',
  roles: new Set(['admin']),
  facilityIds: facilityIds && new Set(facilityIds),
});
const terminal: Principal = {
  kind: 'terminal',
  id: 't',
  terminalKind: 'parcel-intake',
  facilityId: 'A',
};
const relative: Principal = { kind: 'relative', id: 'r' };

async function refusal(p: Promise<void>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? `${e.code} ${e.detail}` : 'other';
  }
}

describe('the access service on an object the use case has already read', () => {
  let repo: AskedRepository;
  let access: AccessService;
  beforeEach(() => {
    repo = new AskedRepository();
    access = new AccessService(repo as unknown as AccessRepository);
  });
  const parcelInA = { id: 'p1', facilityId: 'A' };

  it('answers staff and terminals from their scope, reading nothing again', async () => {
    expect(await refusal(access.requireHeld(staff(['A']), 'parcel', parcelInA))).toBeUndefined();
    expect(await refusal(access.requireHeld(staff(null), 'parcel', parcelInA))).toBeUndefined();
    expect(await refusal(access.requireHeld(terminal, 'parcel', parcelInA))).toBeUndefined();
    expect(await refusal(access.requireHeld(staff(['B']), 'parcel', parcelInA))).toBe(
      'NOT_FOUND Parcel not found',
    );
    expect(
      await refusal(access.requireHeld(terminal, 'prisoner', { id: 'x', facilityId: 'B' })),
    ).toMatch(/^NOT_FOUND Prisoner/);
    expect(repo.asked).toEqual([]);
  });

  it('asks for a relative’s links, once', async () => {
    await access.requireHeld(relative, 'prisoner', { id: 'x', facilityId: 'A' });
    expect(repo.asked).toEqual(['ofRelative prisoner x']);
  });

  it('asks once for many ids, each id once', async () => {
    await access.require(staff(['A', 'B']), 'card', ['c1', 'c2', 'c1']);
    expect(repo.asked).toEqual(['inFacilities card c1,c2']);
  });
});
