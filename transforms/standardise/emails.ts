import { domainToASCII } from 'node:url';

/**
 * A standardised e-mail address. `email` is the trimmed, lower-cased
 * address (null when empty); `key` is the form two spellings of one
 * mailbox share (null when invalid): Gmail ignores dots and "+tags" in the
 * local part and treats googlemail.com as gmail.com; Yandex aliases
 * (ya.ru, yandex.com…) are one mailbox and its logins treat "." and "-"
 * alike; elsewhere only a "+tag" is dropped.
 */
export interface StandardEmail {
  email: string | null;
  valid: boolean;
  domain: string | null;
  local: string | null;
  is_free_mail: boolean;
  is_role: boolean;
  key: string | null;
}

// RFC 5322 dot-atom local part; quoted local parts are legal but in
// customer data they are typing mistakes, so they count as invalid.
const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const NON_ASCII = /[^\x00-\x7f]/;
const WRAPPER = /^(?:mailto:)?<?\s*|\s*>?$/g;

export const FREE_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'ymail.com',
  'rocketmail.com',
  'msn.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'mail.com',
  'email.com',
  'usa.com',
  'zoho.com',
  'zohomail.com',
  'proton.me',
  'protonmail.com',
  'protonmail.ch',
  'pm.me',
  'tutanota.com',
  'tuta.io',
  'fastmail.com',
  'hushmail.com',
  'gmx.com',
  'gmx.net',
  'gmx.de',
  'web.de',
  'mail.ru',
  'bk.ru',
  'inbox.ru',
  'list.ru',
  'internet.ru',
  'yandex.ru',
  'ya.ru',
  'yandex.com',
  'yandex.by',
  'yandex.kz',
  'yandex.ua',
  'narod.ru',
  'rambler.ru',
  'lenta.ru',
  'autorambler.ru',
  'myrambler.ru',
  'ro.ru',
  'qip.ru',
  'ukr.net',
  'i.ua',
  'meta.ua',
  'qq.com',
  '163.com',
  '126.com',
  'comcast.net',
  'verizon.net',
  'att.net',
  'sbcglobal.net',
  'btinternet.com',
  'sky.com',
  'orange.fr',
  'free.fr',
  'laposte.net',
  'libero.it',
]);

// Brands with one free service under many country domains (yahoo.co.uk, hotmail.fr).
export const FREE_BRANDS: ReadonlySet<string> = new Set([
  'yahoo',
  'hotmail',
  'outlook',
  'live',
  'aol',
  'gmx',
  'yandex',
]);

export const ROLE_LOCALS: ReadonlySet<string> = new Set([
  'info',
  'sales',
  'support',
  'admin',
  'administrator',
  'office',
  'contact',
  'contacts',
  'billing',
  'noreply',
  'no-reply',
  'donotreply',
  'do-not-reply',
  'hello',
  'team',
  'hr',
  'accounts',
  'accounting',
  'finance',
  'enquiries',
  'enquiry',
  'inquiries',
  'inquiry',
  'help',
  'helpdesk',
  'service',
  'services',
  'customerservice',
  'marketing',
  'webmaster',
  'postmaster',
  'hostmaster',
  'abuse',
  'security',
  'press',
  'media',
  'jobs',
  'careers',
  'orders',
  'order',
  'shop',
  'store',
  'reception',
  'feedback',
  'invoice',
  'invoices',
  'booking',
  'bookings',
  'legal',
  'privacy',
  'root',
  'staff',
  'general',
  'mail',
  'pr',
  'partners',
  'newsletter',
  'notifications',
  'alerts',
  'zakaz',
  'buh',
  'buhgalteria',
  'kadry',
  'priemnaya',
  'reklama',
  'otdel',
  'sekretar',
]);

export const YANDEX_ALIASES: ReadonlySet<string> = new Set([
  'ya.ru',
  'yandex.ru',
  'yandex.com',
  'yandex.by',
  'yandex.kz',
  'yandex.ua',
]);

function invalid(email: string | null): StandardEmail {
  return {
    email,
    valid: false,
    domain: null,
    local: null,
    is_free_mail: false,
    is_role: false,
    key: null,
  };
}

function isValidDomain(domain: string): boolean {
  if (domain.length > 253) return false;
  const labels = domain.split('.');
  if (labels.length < 2 || !TLD.test(labels[labels.length - 1]!)) return false;
  return labels.every((label) => LABEL.test(label));
}

function isFreeMail(domain: string): boolean {
  if (FREE_DOMAINS.has(domain)) return true;
  const labels = domain.split('.');
  // brand.tld or brand.co.tld, never a company's brand.example.com
  return (
    labels.length <= 3 &&
    FREE_BRANDS.has(labels[0]!) &&
    (labels.length === 2 || labels[1]!.length <= 3)
  );
}

function matchKey(local: string, domain: string): string {
  const plus = local.indexOf('+');
  let base = plus > 0 ? local.slice(0, plus) : local;
  let keyDomain = domain;
  if (domain === 'gmail.com' || domain === 'googlemail.com') {
    base = base.replaceAll('.', '');
    keyDomain = 'gmail.com';
  } else if (YANDEX_ALIASES.has(domain)) {
    base = base.replaceAll('.', '-');
    keyDomain = 'yandex.ru';
  }
  return `${base}@${keyDomain}`;
}

/**
 * Standardises an e-mail address: trims, lower-cases, unwraps "mailto:"
 * and "<…>", checks a practical subset of RFC 5322 (dot-atom local part of
 * at most 64 characters, a domain of LDH labels with an alphabetic or IDN
 * top-level label; internationalised domains are checked in punycode) and
 * classifies free-mail domains and role mailboxes (info@, sales@…).
 */
export function standardiseEmail(raw: string | null | undefined): StandardEmail {
  if (raw === null || raw === undefined) return invalid(null);
  const email = raw.trim().toLowerCase().replace(WRAPPER, '');
  if (email.length === 0) return invalid(null);
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1 || email.length > 254) return invalid(email);
  const local = email.slice(0, at);
  let domain = email.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local)) return invalid(email);
  if (NON_ASCII.test(domain)) {
    domain = domainToASCII(domain);
    if (domain.length === 0) return invalid(email);
  }
  if (!isValidDomain(domain)) return invalid(email);
  const plus = local.indexOf('+');
  const bareLocal = plus > 0 ? local.slice(0, plus) : local;
  return {
    email,
    valid: true,
    domain,
    local,
    is_free_mail: isFreeMail(domain),
    is_role: ROLE_LOCALS.has(bareLocal),
    key: matchKey(local, domain),
  };
}
