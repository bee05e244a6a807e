import { normalisePhoneNumber } from './phone-number';

describe('phone numbers are kept in E.164', () => {
  it('reads one Kazakh mobile number however it is written', () => {
    for (const raw of ['+7 701 123 45 67', '87011234567', '8 (701) 123-45-67', '+77011234567'])
      expect(normalisePhoneNumber(raw)).toBe('+77011234567');
  });

  it('keeps a foreign number with its country code', () => {
    expect(normalisePhoneNumber('+44 20 7946 0958')).toBe('+442079460958');
  });

  it('reads a number without country code in the region given', () => {
    expect(normalisePhoneNumber('020 7946 0958', 'GB')).toBe('+442079460958');
  });

  it('refuses what is not a valid number', () => {
    for (const raw of [
      '123',
      '+7 701 123',
      '+77011234567890',
      'not a number',
      '',
      '+0 123 456 789',
    ])
      expect(normalisePhoneNumber(raw)).toBeNull();
  });
});
