import { describe, expect, it } from 'vitest';
import { standardiseEmail, type StandardEmail } from '../../../transforms/standardise/emails.ts';

function valid(
  email: string,
  local: string,
  domain: string,
  key: string,
  flags: { free?: boolean; role?: boolean } = {},
): StandardEmail {
  return {
    email,
    valid: true,
    local,
    domain,
    key,
    is_free_mail: flags.free ?? false,
    is_role: flags.role ?? false,
  };
}

function invalid(email: string | null): StandardEmail {
  return {
    email,
    valid: false,
    local: null,
    domain: null,
    key: null,
    is_free_mail: false,
    is_role: false,
  };
}

describe('standardiseEmail', () => {
  it.each<[string, string | null, StandardEmail]>([
    [
      'trims and lower-cases',
      '  John.Smith@Example.COM ',
      valid('john.smith@example.com', 'john.smith', 'example.com', 'john.smith@example.com'),
    ],
    [
      'drops dots and +tag for gmail',
      'J.O.H.N+promo@gmail.com',
      valid('j.o.h.n+promo@gmail.com', 'j.o.h.n+promo', 'gmail.com', 'john@gmail.com', {
        free: true,
      }),
    ],
    [
      'treats googlemail as gmail',
      'john.smith@googlemail.com',
      valid('john.smith@googlemail.com', 'john.smith', 'googlemail.com', 'johnsmith@gmail.com', {
        free: true,
      }),
    ],
    [
      'strips only the +tag elsewhere',
      'john.smith+news@company.co.uk',
      valid(
        'john.smith+news@company.co.uk',
        'john.smith+news',
        'company.co.uk',
        'john.smith@company.co.uk',
      ),
    ],
    [
      'marks Russian free mail',
      'ivanov@mail.ru',
      valid('ivanov@mail.ru', 'ivanov', 'mail.ru', 'ivanov@mail.ru', { free: true }),
    ],
    [
      'folds Yandex aliases and dot/hyphen logins into one mailbox',
      'Ivan.Petrov@ya.ru',
      valid('ivan.petrov@ya.ru', 'ivan.petrov', 'ya.ru', 'ivan-petrov@yandex.ru', { free: true }),
    ],
    [
      'knows country domains of free brands',
      'someone@yahoo.co.uk',
      valid('someone@yahoo.co.uk', 'someone', 'yahoo.co.uk', 'someone@yahoo.co.uk', { free: true }),
    ],
    [
      'does not take a company subdomain for a free brand',
      'a@outlook.acme.example.com',
      valid(
        'a@outlook.acme.example.com',
        'a',
        'outlook.acme.example.com',
        'a@outlook.acme.example.com',
      ),
    ],
    [
      'flags role mailboxes',
      'Sales@Acme.com',
      valid('sales@acme.com', 'sales', 'acme.com', 'sales@acme.com', { role: true }),
    ],
    [
      'flags a role mailbox behind a +tag',
      'noreply+bounce@shop.ru',
      valid('noreply+bounce@shop.ru', 'noreply+bounce', 'shop.ru', 'noreply@shop.ru', {
        role: true,
      }),
    ],
    [
      'unwraps mailto and angle brackets',
      'mailto:<anna@bk.ru>',
      valid('anna@bk.ru', 'anna', 'bk.ru', 'anna@bk.ru', { free: true }),
    ],
    [
      'checks an internationalised domain in punycode',
      'info@пример.рф',
      valid('info@пример.рф', 'info', 'xn--e1afmkfd.xn--p1ai', 'info@xn--e1afmkfd.xn--p1ai', {
        role: true,
      }),
    ],
    ['rejects a missing @', 'john.smith.example.com', invalid('john.smith.example.com')],
    ['rejects two dots in a row', 'john..smith@example.com', invalid('john..smith@example.com')],
    ['rejects a domain without a dot', 'john@localhost', invalid('john@localhost')],
    ['rejects a numeric top-level domain', 'john@10.0.0.1', invalid('john@10.0.0.1')],
    ['rejects spaces inside', 'john smith@example.com', invalid('john smith@example.com')],
    ['rejects a label starting with a hyphen', 'john@-example.com', invalid('john@-example.com')],
    ['gives null email for blank input', '   ', invalid(null)],
    ['gives null email for null', null, invalid(null)],
  ])('%s', (_behaviour, raw, expected) => {
    expect(standardiseEmail(raw)).toEqual(expected);
  });
});
