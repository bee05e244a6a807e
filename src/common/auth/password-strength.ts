import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * zxcvbn's score (0-4) a password needs: 3 = at least 10^8 guesses ("safely unguessable" in zxcvbn's
 * words), beyond any online guessing the sign-in limits allow (docs/sign-in.md) and costly offline
 * against argon2id. 0-2 are the passwords attackers try first.
 */
export const MIN_PASSWORD_SCORE = 3;

/** Shorter passwords are refused by the length rule alone (one message per problem). */
export const PASSWORD_MIN_LENGTH = 12;

/** Words of this service that make a password easy to guess here, whoever sets it. */
const SERVICE_WORDS = [
  'prisoner',
  'prison',
  'colony',
  'facility',
  'services',
  'admin',
  'administrator',
  'kazakhstan',
  'qazaqstan',
  'almaty',
  'astana',
];

let factory: ZxcvbnFactory | undefined;

/** Built on first use: the dictionaries take a moment to load, and most requests never need them. */
function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    translations: zxcvbnEn.translations,
    graphs: zxcvbnCommon.adjacencyGraphs,
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    // what follows the first 64 characters adds strength the estimate ignores; the cost of the
    // estimate grows with the length, and anyone may send a registration
    maxLength: 64,
  });
  return factory;
}

export interface PasswordVerdict {
  ok: boolean;
  /** 0-4. */
  score: number;
  /** Why it is refused, in a sentence a person can act on; null when accepted. */
  problem: string | null;
}

/**
 * Whether a password is strong enough. `related`: what the account is known by (user name, e-mail,
 * name, phone): a password made of them is easy to guess for anyone who knows the person.
 */
export function judgePassword(password: string, related: readonly string[] = []): PasswordVerdict {
  const inputs = [...SERVICE_WORDS, ...related.flatMap(words)];
  const r = estimator().check(password, inputs);
  if (r.score >= MIN_PASSWORD_SCORE) return { ok: true, score: r.score, problem: null };
  const hints = [r.feedback.warning, ...r.feedback.suggestions].filter(
    (h): h is string => typeof h === 'string' && h.length > 0,
  );
  return {
    ok: false,
    score: r.score,
    problem: `is too easy to guess${hints.length ? `: ${hints.join(' ')}` : ''}`,
  };
}

/** A value and the pieces of it a guesser would try (an e-mail's local part, a name's words). */
function words(value: string): string[] {
  const v = value.trim().toLowerCase();
  if (!v) return [];
  return [v, ...v.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3)];
}

/**
 * The password must score at least MIN_PASSWORD_SCORE. `relatedFields`: the object's fields the
 * password must not be built from (user name, e-mail, name, phone).
 */
export function IsStrongPassword(
  relatedFields: readonly string[] = [],
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isStrongPassword',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          if (typeof value !== 'string') return false;
          if (value.length < PASSWORD_MIN_LENGTH) return true;
          const v = judgePassword(value, related(args, relatedFields));
          verdicts.set(args.object, v);
          return v.ok;
        },
        defaultMessage(args: ValidationArguments): string {
          if (typeof args.value !== 'string') return `${args.property} must be a string`;
          const v = verdicts.get(args.object);
          return `${args.property} ${v?.problem ?? 'is too easy to guess'}`;
        },
      },
    });
  };
}

/** The verdict of the last check of each request body, so the message does not estimate again. */
const verdicts = new WeakMap<object, PasswordVerdict>();

function related(args: ValidationArguments, fields: readonly string[]): string[] {
  const o = args.object as Record<string, unknown>;
  return fields.map((f) => o[f]).filter((v): v is string => typeof v === 'string');
}
