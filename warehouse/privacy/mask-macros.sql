-- Masks for personal values shown to analysts without the `pii` grant (masked-views.ts).
-- e-mail: first letter, ***, the domain: j***@example.com
CREATE OR REPLACE MACRO cdw_mask.mask_email(e) AS
  CASE WHEN e IS NULL THEN NULL
       WHEN strpos(e, '@') > 1 THEN left(e, 1) || '***' || substr(e, strpos(e, '@'))
       ELSE '***' END;
-- phone: the country code after a leading + and the last four digits; the other digits are *,
-- spacing kept: +7 916 123 06 32 → +7 *** *** 06 32
CREATE OR REPLACE MACRO cdw_mask.mask_phone(p) AS
  CASE WHEN p IS NULL THEN NULL ELSE
    array_to_string(list_transform(range(1, length(p) + 1), i ->
      CASE WHEN NOT regexp_matches(substr(p, i, 1), '[0-9]') THEN substr(p, i, 1)
           WHEN starts_with(p, '+') AND length(regexp_replace(left(p, i), '[^0-9]', '', 'g')) <= 1
             THEN substr(p, i, 1)
           WHEN length(regexp_replace(substr(p, i), '[^0-9]', '', 'g')) <= 4 THEN substr(p, i, 1)
           ELSE '*' END), '')
  END;
-- name: the first letter of each word: Megan St. John → M*** S*** J***
CREATE OR REPLACE MACRO cdw_mask.mask_name(n) AS
  CASE WHEN n IS NULL THEN NULL ELSE
    array_to_string(list_transform(list_filter(string_split(trim(n), ' '), w -> w <> ''),
                                   w -> left(w, 1) || '***'), ' ')
  END;
-- anything else personal (street address, postcode, card, user id): ***
CREATE OR REPLACE MACRO cdw_mask.mask_text(x) AS CASE WHEN x IS NULL THEN NULL ELSE '***' END;
