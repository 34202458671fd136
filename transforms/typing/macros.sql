-- Typing helpers used by the staging models. Temporary: they live on the step's connection only.

-- Text as given: trimmed, empty is NULL.
CREATE OR REPLACE TEMP MACRO cdw_text(v) AS NULLIF(trim(CAST(v AS VARCHAR)), '');

-- A number written by people: spaces and currency signs dropped; "1 234,50", "1,234.50",
-- "1.234,50" and "12,5" understood; NaN and infinities refused.
CREATE OR REPLACE TEMP MACRO cdw_number_text(s) AS
  regexp_replace(trim(s), '[\s\x{00A0}\x{202F}$€£₽¥]|руб\.?|(?i:rub|usd|eur|gbp)', '', 'g');
CREATE OR REPLACE TEMP MACRO cdw_number_shape(s) AS
  CASE
    WHEN s LIKE '%,%' AND s LIKE '%.%' THEN
      CASE WHEN strpos(s, ',') < strpos(s, '.') THEN replace(s, ',', '')
           ELSE replace(replace(s, '.', ''), ',', '.') END
    WHEN regexp_full_match(s, '-?\d{1,3}(,\d{3})+') THEN replace(s, ',', '')
    WHEN s LIKE '%,%' THEN replace(s, ',', '.')
    ELSE s
  END;
-- Beyond a double (-1e400, 1.79e309) is no number: it would land as an infinite amount.
CREATE OR REPLACE TEMP MACRO cdw_finite(x) AS CASE WHEN isfinite(x) THEN x END;
CREATE OR REPLACE TEMP MACRO cdw_number_plain(s) AS
  CASE WHEN regexp_full_match(s, '[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?') THEN cdw_finite(TRY_CAST(s AS DOUBLE)) END;
-- Most numbers are plain ("12.50"): cast at once; the cascade above only for the others (it
-- gives the same for a plain number: nothing to drop, nothing to reshape).
CREATE OR REPLACE TEMP MACRO cdw_number(v) AS
  CASE WHEN regexp_full_match(trim(CAST(v AS VARCHAR)), '[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?')
       THEN cdw_finite(TRY_CAST(trim(CAST(v AS VARCHAR)) AS DOUBLE))
       ELSE cdw_number_plain(cdw_number_shape(cdw_number_text(CAST(v AS VARCHAR)))) END;

-- A whole number; 12.0 is 12, 12.5 is not a whole number.
CREATE OR REPLACE TEMP MACRO cdw_whole(n) AS CASE WHEN n = trunc(n) AND abs(n) < 9.2e18 THEN CAST(n AS BIGINT) END;
CREATE OR REPLACE TEMP MACRO cdw_integer(v) AS cdw_whole(cdw_number(v));

-- Yes/no in the words sources use (English and Russian), 1/0, Y/N, +/-.
CREATE OR REPLACE TEMP MACRO cdw_bool(v) AS
  CASE
    WHEN lower(trim(CAST(v AS VARCHAR))) IN ('true', 't', 'yes', 'y', '1', 'on', 'x', '+', 'да', 'д', 'истина') THEN true
    WHEN lower(trim(CAST(v AS VARCHAR))) IN ('false', 'f', 'no', 'n', '0', 'off', '-', 'нет', 'н', 'ложь') THEN false
  END;

-- Text carrying its own offset or zone after a time ("…10:00Z", "…10:00+03:00", "… UTC",
-- "… Europe/Moscow") is an instant; AM/PM is not a zone.
CREATE OR REPLACE TEMP MACRO cdw_has_zone(s) AS
  regexp_matches(s, '\d:\d{2}(:\d{2}([.,]\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?|[A-Za-z][A-Za-z_]+(/[A-Za-z_+-]+)*)$')
  AND NOT regexp_matches(s, '(?i)\s*[ap]\.?m\.?$');

-- Seconds (10 digits) or milliseconds (13 digits) since 1970; anything larger is not a time.
CREATE OR REPLACE TEMP MACRO cdw_epoch(n) AS
  CASE WHEN abs(n) < 1e11 THEN to_timestamp(n) WHEN abs(n) < 1e14 THEN to_timestamp(n / 1000.0) END;

-- ISO 8601 text and epoch numbers; local times are read in the zone `tz`.
CREATE OR REPLACE TEMP MACRO cdw_iso_timestamp(s, tz) AS
  CASE
    WHEN regexp_full_match(s, '\d{10}(\.\d+)?|\d{13}') THEN cdw_epoch(CAST(s AS DOUBLE))
    WHEN cdw_has_zone(s) THEN TRY_CAST(s AS TIMESTAMPTZ)
    ELSE timezone(tz, TRY_CAST(s AS TIMESTAMP))
  END;
