import { cardNumberHmac, isValidCardNumber, luhnCheckDigit, newCardNumber } from './card-number';

describe('the Luhn check digit', () => {
  it.each([
    // the textbook example, and test numbers of the card schemes
    ['7992739871', 3],
    ['411111111111111', 1],
    ['555555555555444', 4],
    ['37828224631000', 5],
  ])('of %s is %i', (body, digit) => expect(luhnCheckDigit(body)).toBe(digit));

  it('is 0, not 10, when the weighted sum is already a multiple of ten', () => {
    // 8·2 = 16 counts 7, + 3 = 10
    expect(luhnCheckDigit('38')).toBe(0);
    expect(luhnCheckDigit('000000000000000')).toBe(0);
  });

  it('doubles every second digit from the right, starting with the rightmost', () => {
    // only the doubled position moves the digit: 1 → 2 (check 8), and the other one not (check 9)
    expect(luhnCheckDigit('01')).toBe(8);
    expect(luhnCheckDigit('10')).toBe(9);
  });

  it('sums the digits of a doubled digit over nine (2·7 = 14 counts 1 + 4)', () => {
    expect(luhnCheckDigit('7')).toBe(5);
    expect(luhnCheckDigit('9')).toBe(1);
  });
});

describe('a valid card number', () => {
  it('is sixteen digits whose last is the Luhn digit of the first fifteen', () => {
    expect(isValidCardNumber('4111111111111111')).toBe(true);
    expect(isValidCardNumber('9398000000000001')).toBe(true);
  });

  it('is refused with a wrong check digit', () => {
    expect(isValidCardNumber('4111111111111112')).toBe(false);
    expect(isValidCardNumber('4111111111111110')).toBe(false);
  });

  it('is refused one digit short or one digit long, even with a matching check digit', () => {
    expect(isValidCardNumber('411111111111116')).toBe(false); // 15 digits, Luhn-valid
    expect(isValidCardNumber('41111111111111113')).toBe(false); // 17 digits, Luhn-valid
  });

  it('is refused with anything but digits, anywhere', () => {
    expect(isValidCardNumber('4111 1111 1111 1111')).toBe(false);
    expect(isValidCardNumber(' 4111111111111111')).toBe(false);
    expect(isValidCardNumber('4111111111111111 ')).toBe(false);
    expect(isValidCardNumber('411111111111111a')).toBe(false);
    expect(isValidCardNumber('')).toBe(false);
  });
});

describe('a new card number', () => {
  const numbers = Array.from({ length: 200 }, () => newCardNumber());

  it('is sixteen digits behind our issuer prefix 9398, with a valid Luhn digit', () => {
    for (const n of numbers) {
      expect(n).toMatch(/^9398[0-9]{12}$/);
      expect(isValidCardNumber(n)).toBe(true);
    }
  });

  it('cannot be guessed from the ones before it', () => {
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});

describe('what is stored to find a card', () => {
  it('is the HMAC-SHA256 of the number under the secret, in hex', () => {
    // RFC 4231-style known answer: key "key", message "The quick brown fox jumps over the lazy dog"
    expect(cardNumberHmac('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('never contains the number, and changes with the secret', () => {
    const n = '9398000000000001';
    expect(cardNumberHmac('s1', n)).not.toContain(n);
    expect(cardNumberHmac('s1', n)).not.toBe(cardNumberHmac('s2', n));
    expect(cardNumberHmac('s1', n)).toBe(cardNumberHmac('s1', n));
  });
});
