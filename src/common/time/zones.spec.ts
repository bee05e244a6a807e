import { isValidIanaZone } from './zones';

describe('IANA zones', () => {
  it.each([
    'Asia/Almaty',
    'Asia/Aqtobe',
    'Asia/Qostanay',
    'Europe/Moscow',
    'UTC',
    'America/Argentina/Buenos_Aires',
  ])('accepts %s', (z) => expect(isValidIanaZone(z)).toBe(true));
  it.each(['Mars/Base', '+05:00', 'UTC+5', 'EST', 'asia', '', 'Asia/Almaty\n'])('refuses %p', (z) =>
    expect(isValidIanaZone(z)).toBe(false),
  );
});
