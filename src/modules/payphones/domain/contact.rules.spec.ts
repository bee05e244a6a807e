import { decide, removable, roomForAnother } from './contact.rules';

describe('contacts', () => {
  it('a pending contact is approved or rejected; a decided one is not decided again', () => {
    expect(decide('pending', 'approve')).toBe('approved');
    expect(decide('pending', 'reject')).toBe('rejected');
    for (const s of ['approved', 'rejected', 'removed'] as const) {
      expect(decide(s, 'approve')).toBeNull();
      expect(decide(s, 'reject')).toBeNull();
    }
  });

  it('pending and approved contacts can be removed; rejected and removed ones stay as they are', () => {
    expect(removable('pending')).toBe(true);
    expect(removable('approved')).toBe(true);
    expect(removable('rejected')).toBe(false);
    expect(removable('removed')).toBe(false);
  });

  it('the list holds at most the policy number of live contacts', () => {
    expect(roomForAnother(0, 1)).toBe(true);
    expect(roomForAnother(9, 10)).toBe(true);
    expect(roomForAnother(10, 10)).toBe(false);
    expect(roomForAnother(11, 10)).toBe(false);
    expect(roomForAnother(0, 0)).toBe(false);
  });
});
