-- E-mail standardisation in SQL: the same parts as `emailParts` (party-std-parts.ts, over
-- standardiseEmail in emails.ts), rule for rule, for the addresses SQL can read exactly: printable
-- ASCII (JavaScript's trim and lower-case agree with DuckDB's there, and no domain needs
-- punycode). The lists (free domains, role mailboxes…) are emails.ts's own sets, filled in when the macros
-- are created, so the two cannot drift apart. Temporary: per connection.

-- Whether cdw_sql_std_email gives exactly what the JavaScript does; otherwise JavaScript decides.
CREATE OR REPLACE TEMP MACRO cdw_sql_email_decides(raw) AS
  raw IS NULL OR regexp_full_match(raw, '[ -~]*');

-- trimmed, lower-cased, "mailto:" and "<…>" unwrapped
CREATE OR REPLACE TEMP MACRO cdw_sql_email_text(raw) AS
  regexp_replace(lower(trim(raw)), '^(?:mailto:)?<?\s*|\s*>?$', '', 'g');

-- the part after the last "@" and the part before it ('' when there is none)
CREATE OR REPLACE TEMP MACRO cdw_sql_email_domain(e) AS regexp_extract(e, '@([^@]*)$', 1);
CREATE OR REPLACE TEMP MACRO cdw_sql_email_local(e) AS regexp_extract(e, '^(.*)@[^@]*$', 1);
-- the local part before its first "+" (a "+" that opens it stays)
CREATE OR REPLACE TEMP MACRO cdw_sql_email_bare(l) AS
  CASE WHEN strpos(l, '+') > 1 THEN left(l, strpos(l, '+') - 1) ELSE l END;

-- dot-atom local part of at most 64 characters; a domain of LDH labels under an alphabetic or
-- IDN top-level label, at most 253 characters
CREATE OR REPLACE TEMP MACRO cdw_sql_email_ok(e, l, d) AS
  length(e) <= 254
  AND length(l) BETWEEN 1 AND 64
  AND regexp_full_match(l, '[a-z0-9!#$%&''*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&''*+/=?^_`{|}~-]+)*')
  AND length(d) BETWEEN 1 AND 253
  AND regexp_full_match(d,
        '(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{0,58}[a-z0-9])');

CREATE OR REPLACE TEMP MACRO cdw_sql_email_free(d) AS
  list_contains({{free_domains}}, d)
  OR (len(string_split(d, '.')) <= 3
      AND list_contains({{free_brands}}, string_split(d, '.')[1])
      AND (len(string_split(d, '.')) = 2 OR length(string_split(d, '.')[2]) <= 3));

-- Gmail ignores dots (googlemail.com is gmail.com); Yandex aliases are one mailbox whose logins
-- treat "." as "-"; everywhere a "+tag" is dropped
CREATE OR REPLACE TEMP MACRO cdw_sql_email_key(l, d) AS
  CASE WHEN d IN ('gmail.com', 'googlemail.com') THEN replace(cdw_sql_email_bare(l), '.', '') || '@gmail.com'
       WHEN list_contains({{yandex_aliases}}, d) THEN replace(cdw_sql_email_bare(l), '.', '-') || '@yandex.ru'
       ELSE cdw_sql_email_bare(l) || '@' || d END;

-- The stages take columns, so that a query computes each once: the text `e`
-- (cdw_sql_email_text), then its local part `l` and domain `d`, then the parts.
CREATE OR REPLACE TEMP MACRO cdw_sql_email_parts(e, l, d) AS
  CASE WHEN e IS NULL OR e = '' THEN
         {'norm': NULL::VARCHAR, 'key': NULL::VARCHAR, 'valid': NULL::BOOLEAN, 'is_free': NULL::BOOLEAN, 'is_role': NULL::BOOLEAN}
       WHEN NOT cdw_sql_email_ok(e, l, d) THEN
         {'norm': e, 'key': NULL::VARCHAR, 'valid': false, 'is_free': false, 'is_role': false}
       ELSE {'norm': e,
             'key': cdw_sql_email_key(l, d),
             'valid': true,
             'is_free': cdw_sql_email_free(d),
             'is_role': list_contains({{role_locals}}, cdw_sql_email_bare(l))} END;

-- cdw_std_email(raw) for a raw value cdw_sql_email_decides, all in one (for a single value)
CREATE OR REPLACE TEMP MACRO cdw_sql_std_email(raw) AS
  cdw_sql_email_parts(cdw_sql_email_text(raw), cdw_sql_email_local(cdw_sql_email_text(raw)),
                      cdw_sql_email_domain(cdw_sql_email_text(raw)));
