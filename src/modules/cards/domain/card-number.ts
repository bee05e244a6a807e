import { createHmac, randomInt } from 'node:crypto';

// An issuer prefix of our own; the rest comes from the CSPRNG, the last digit is the Luhn check.
const PREFIX = '9398';

export function luhnCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      // Stryker disable next-line EqualityOperator: equivalent: a doubled digit is even, never 9
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidCardNumber(n: string): boolean {
  return /^[0-9]{16}$/.test(n) && luhnCheckDigit(n.slice(0, 15)) === Number(n[15]);
}

/** A new 16-digit card number with a valid Luhn digit. */
export function newCardNumber(): string {
  let body = PREFIX;
  while (body.length < 15) body += String(randomInt(10));
  return body + String(luhnCheckDigit(body));
}

/** What is stored to find a card by its number: an HMAC, never the number (PCI DSS 3.5.1 in spirit). */
export function cardNumberHmac(secret: string, n: string): string {
  // Stryker disable next-line StringLiteral: equivalent: Node reads an empty encoding as utf8
  return createHmac('sha256', secret).update(n, 'utf8').digest('hex');
}
