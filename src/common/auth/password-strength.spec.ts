import { validate } from 'class-validator';
import { IsStrongPassword, judgePassword } from './password-strength';

describe('which passwords are strong enough', () => {
  it.each([
    ['twelve spaces', ' '.repeat(12)],
    ['one letter repeated', 'aaaaaaaaaaaa'],
    ['a common password with digits', 'password1234'],
    ['a keyboard row', 'qwertyuiop12'],
    ['a sequence', 'abcdefghijkl'],
    ['a word of this service', 'Kazakhstan2025'],
  ])('refuses %s, saying why', (_case, password) => {
    const v = judgePassword(password);
    expect(v.ok).toBe(false);
    expect(v.score).toBeLessThan(3);
    expect(v.problem).toMatch(/^is too easy to guess/);
  });

  it('refuses a password made of the account’s own name or e-mail', () => {
    expect(judgePassword('aigerimnurlanova', []).ok).toBe(true);
    expect(judgePassword('aigerimnurlanova', ['aigerim.nurlanova@example.kz']).ok).toBe(false);
    expect(judgePassword('NurlanovaAigerim', ['Aigerim Nurlanova']).ok).toBe(false);
  });

  it.each([
    ['the test factories’ staff password', 'staff-password-123'],
    ['the test factories’ relatives’ password', 'relative-password-123'],
    ['the test administrator’s password', 'test-admin-password-1'],
    ['a passphrase', 'correct horse battery staple'],
    ['random characters', 'q7#Lk2!vZp9w'],
  ])('accepts %s', (_case, password) => {
    expect(judgePassword(password)).toMatchObject({ ok: true, problem: null });
  });
});

describe('the password rule on a request body', () => {
  class Body {
    username: string;
    @IsStrongPassword(['username'])
    password: unknown;
  }
  const body = (username: string, password: unknown) =>
    Object.assign(new Body(), { username, password });

  it('names the field and says why', async () => {
    const [e] = await validate(body('a.nurlanov', 'aaaaaaaaaaaa'));
    expect(e.property).toBe('password');
    expect(e.constraints?.isStrongPassword).toMatch(/^password is too easy to guess: .+/);
  });

  it('weighs the other fields it is told of', async () => {
    expect(await validate(body('someone.else', 'a.nurlanov.kz'))).toHaveLength(0);
    expect(await validate(body('a.nurlanov.kz', 'a.nurlanov.kz'))).toHaveLength(1);
  });

  it('leaves a short password to the length rule', async () => {
    expect(await validate(body('x', 'aaaa'))).toHaveLength(0);
  });

  it('refuses what is not a string', async () => {
    const [e] = await validate(body('x', 12345678901234));
    expect(e.constraints?.isStrongPassword).toBe('password must be a string');
  });
});
