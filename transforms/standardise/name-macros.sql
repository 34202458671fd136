-- Name standardisation in SQL for the plainest shape: given name and family name in their own
-- fields, one word of ASCII letters each, no title and no middle name ("JOHN" / "mcdonald").
-- Then `nameParts` (party-std-parts.ts, over standardiseName in names.ts) only proper-cases the
-- two words and keys them; these macros give the same parts, rule for rule. Every other shape
-- (full names, titles, initials, particles, other scripts) is left to the JavaScript. The word
-- lists are the standardisers' own (surnames.ts, nicknames.ts), filled in when the macros are
-- created: the given names as the temporary table cdw_given_names(variant, canonical).

-- Whether cdw_sql_std_name gives exactly what the JavaScript does.
CREATE OR REPLACE TEMP MACRO cdw_sql_name_decides(full_name, title, first_name, middle_name, last_name) AS
  regexp_full_match(first_name, ' *[A-Za-z]+ *') AND regexp_full_match(last_name, ' *[A-Za-z]+ *')
  AND (title IS NULL OR regexp_full_match(title, ' *'))
  AND (middle_name IS NULL OR regexp_full_match(middle_name, ' *'));

-- properCase of one word of ASCII letters: camel case kept ("DeShawn"), else capitalised, "Mc" too
CREATE OR REPLACE TEMP MACRO cdw_sql_name_case(w) AS
  CASE WHEN regexp_full_match(w, '[A-Z][a-z]+(?:[A-Z][a-z]+)+') THEN w
       WHEN regexp_matches(lower(w), '^mc[a-z]') THEN 'Mc' || upper(substr(w, 3, 1)) || lower(substr(w, 4))
       ELSE upper(left(w, 1)) || lower(substr(w, 2)) END;

-- isKnownSurname: a listed family name, or the feminine (-ova, -skaya) of one
CREATE OR REPLACE TEMP MACRO cdw_sql_known_surname(k) AS
  list_contains({{surnames}}, k)
  OR (regexp_matches(k, {{russian_feminine}}) AND list_contains({{surnames}}, left(k, length(k) - 1)))
  OR (NOT regexp_matches(k, {{russian_feminine}}) AND suffix(k, 'skaya')
      AND list_contains({{surnames}}, left(k, length(k) - 4) || 'iy'));

-- swapped_suspect: the given name looks like a family name (and is no given name), the family
-- name is a given name; `*_given` say whether the keys are in the given-name table
CREATE OR REPLACE TEMP MACRO cdw_sql_name_swapped(first_key, first_given, last_given) AS
  NOT first_given AND last_given
  AND (cdw_sql_known_surname(first_key)
       OR (length(first_key) > 4 AND regexp_matches(first_key, {{russian_surname_shape}})));

-- cdw_std_name(…) for names cdw_sql_name_decides; `given_key`: the first name's canonical key
-- when the table has it, `last_given`: whether the last name's key is in the table
CREATE OR REPLACE TEMP MACRO cdw_sql_std_name(first_name, last_name, given_key, last_given) AS
  {'first': cdw_sql_name_case(trim(first_name)), 'middle': NULL::VARCHAR,
   'last': cdw_sql_name_case(trim(last_name)), 'title': NULL::VARCHAR,
   'first_key': lower(trim(first_name)), 'middle_key': NULL::VARCHAR, 'last_key': lower(trim(last_name)),
   'given_key': coalesce(given_key, lower(trim(first_name))),
   'swapped': cdw_sql_name_swapped(lower(trim(first_name)), given_key IS NOT NULL, last_given),
   'generation': NULL::VARCHAR};
