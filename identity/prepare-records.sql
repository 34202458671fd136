-- id_records: the party records of this run in the shape matching needs (a temp table; publish
-- keeps the columns explanations need as identity.records). rec_id is dense and ordered by
-- party_uid, so the same staging gives the same ids every time.
CREATE OR REPLACE TEMP TABLE id_records AS
WITH ids AS (
  SELECT rowid AS rid, row_number() OVER (ORDER BY party_uid)::INTEGER AS rec_id FROM staging.party_records
),
-- A birth date on many times more records than a typical date is a system's placeholder
-- (1900-01-01, 1970-01-01, a default of a form), not anyone's birthday: it is kept out of
-- matching (identity.birth_date_placeholder_factor; at least 10 records).
birth_counts AS (
  SELECT birth_date, count(*) AS n FROM staging.party_records WHERE birth_date IS NOT NULL GROUP BY 1
),
placeholder_dates AS (
  SELECT birth_date FROM birth_counts
  WHERE {{placeholder_factor}} > 0 AND n >= 10
    AND n > {{placeholder_factor}} * (SELECT greatest(median(n), 1) FROM birth_counts)
),
base AS (
  SELECT
    i.rec_id,
    p.party_uid, p.source, p.source_table, p.record_key, p.created_at,
    nullif(trim(p.first_key), '') AS first_key,
    coalesce(nullif(trim(p.given_key), ''), nullif(trim(p.first_key), '')) AS given_key,
    nullif(trim(p.last_key), '') AS last_key,
    CASE WHEN p.birth_date NOT IN (SELECT birth_date FROM placeholder_dates) THEN p.birth_date END AS birth_date,
    nullif(trim(p.name_suffix), '') AS name_suffix,
    nullif(trim(p.national_id_key), '') AS national_id_key,
    nullif(trim(p.region_norm), '') AS region_norm,
    CASE WHEN lower(trim(p.gender)) IN ('m', 'male', 'man', 'м', 'муж', 'мужской') THEN 'm'
         WHEN lower(trim(p.gender)) IN ('f', 'female', 'woman', 'ж', 'жен', 'женский') THEN 'f' END AS gender_norm,
    nullif(trim(p.email_key), '') AS email_key,
    nullif(trim(p.phone_e164), '') AS phone_e164,
    nullif(trim(p.mobile_e164), '') AS mobile_e164,
    p.phone_type,
    -- a number that may be one person's own: a mobile, or a type libphonenumber cannot tell
    -- (North American numbers are all "fixed line or mobile")
    coalesce(p.phone_type NOT IN ('fixed_line', 'toll_free'), false) AS phone_personal,
    nullif(trim(p.address_key), '') AS address_key,
    nullif(trim(p.address_norm), '') AS address_norm,
    nullif(trim(p.postcode_norm), '') AS postcode_norm,
    nullif(trim(p.city_norm), '') AS city_norm,
    nullif(upper(regexp_replace(p.loyalty_card, '[^0-9A-Za-z]', '', 'g')), '') AS loyalty_card,
    nullif(trim(p.web_user_id), '') AS web_user_id,
    nullif(trim(p.external_ref), '') AS external_ref,
    nullif(trim(p.external_ref_source), '') AS external_ref_source,
    string_split(regexp_replace(translate(substr(lower(p.last_key), 2), 'bfpvcgjkqsxzdtlmnr', '111122222222334556'), '[^0-9]', '', 'g'), '') AS sk_digits,
    string_split(regexp_replace(translate(substr(lower(coalesce(nullif(trim(p.first_key), ''), '')), 2), 'bfpvcgjkqsxzdtlmnr', '111122222222334556'), '[^0-9]', '', 'g'), '') AS fsk_digits
  FROM staging.party_records p
  JOIN ids i ON i.rid = p.rowid
),
derived AS MATERIALIZED (
  SELECT b.* EXCLUDE (sk_digits, fsk_digits),
    left(b.first_key, 1) AS first_initial,
    left(b.last_key, 1) AS last_initial,
    -- a Soundex-like code: first letter, then consonant classes with repeats collapsed
    CASE WHEN b.last_key IS NOT NULL THEN left(b.last_key, 1) || left(array_to_string(list_filter(b.sk_digits, (c, i) -> i = 1 OR c <> b.sk_digits[i - 1]), ''), 4) END AS last_sk,
    CASE WHEN length(b.first_key) >= 2 THEN left(b.first_key, 1) || left(array_to_string(list_filter(b.fsk_digits, (c, i) -> i = 1 OR c <> b.fsk_digits[i - 1]), ''), 4) END AS first_sk,
    -- halves of identifiers: one typo leaves one half intact (blocking that survives a typo);
    -- an e-mail's halves are of its mailbox name, each with the domain (a typo in the domain
    -- leaves the mailbox name, email_user), so a half never blocks all short addresses of a domain
    CASE WHEN length(split_part(b.email_key, '@', 1)) >= 4 AND contains(b.email_key, '@')
         THEN left(split_part(b.email_key, '@', 1), length(split_part(b.email_key, '@', 1)) // 2) || '@' || split_part(b.email_key, '@', 2) END AS email_head,
    CASE WHEN length(split_part(b.email_key, '@', 1)) >= 4 AND contains(b.email_key, '@')
         THEN right(split_part(b.email_key, '@', 1), length(split_part(b.email_key, '@', 1)) - length(split_part(b.email_key, '@', 1)) // 2) || '@' || split_part(b.email_key, '@', 2) END AS email_tail,
    list_distinct(list_filter([left(b.phone_e164, length(b.phone_e164) - 4), left(b.mobile_e164, length(b.mobile_e164) - 4)], x -> length(x) >= 6)) AS phone_heads,
    list_distinct(list_filter([right(b.phone_e164, 7), right(b.mobile_e164, 7)], x -> length(x) = 7)) AS phone_tails,
    -- first and last name in either order: a swapped record keeps its key
    CASE WHEN b.first_key IS NOT NULL AND b.last_key IS NOT NULL THEN least(b.first_key, b.last_key) || ' ' || greatest(b.first_key, b.last_key) END AS names_key,
    -- surname without the Slavic feminine ending (ivanova → ivanov, kovalskaya → kovalskiy), for households
    CASE WHEN regexp_matches(b.last_key, '(ov|ev|in|yn)a$') THEN left(b.last_key, length(b.last_key) - 1)
         WHEN regexp_matches(b.last_key, 'skaya$') THEN left(b.last_key, length(b.last_key) - 3) || 'iy'
         WHEN regexp_matches(b.last_key, 'sk(y|ii|i)$') THEN regexp_replace(b.last_key, 'sk(y|ii|i)$', 'skiy')
         ELSE b.last_key END AS surname_stem,
    year(b.birth_date) AS birth_year,
    strftime(b.birth_date, '%Y-%m-%d') AS birth_str,
    nullif(split_part(b.email_key, '@', 1), '') AS email_user,
    -- the mailbox name is built on the person's surname (jsmith, john.smith77, smithj)
    coalesce(length(b.last_key) >= 3 AND contains(regexp_replace(split_part(b.email_key, '@', 1), '[^a-z]', '', 'g'), b.last_key), false) AS email_user_is_name,
    CASE WHEN length(split_part(b.email_key, '@', 1)) >= 5 THEN split_part(b.email_key, '@', 1) END AS email_local,
    nullif(split_part(b.email_key, '@', 2), '') AS email_domain,
    list_distinct(list_filter([b.phone_e164, b.mobile_e164], x -> x IS NOT NULL)) AS phones,
    CASE WHEN contains(b.postcode_norm, ' ') THEN split_part(b.postcode_norm, ' ', 1) ELSE left(b.postcode_norm, 3) END AS postcode_area
  FROM base b
),
-- the name group of any word seen as a first name somewhere: lets a surname slot holding a
-- nickname ("Kudryavtseva Yulya") meet its full form in the first-name slot ("Yuliya")
given_map AS (SELECT first_key AS v, min(given_key) AS g FROM derived WHERE first_key IS NOT NULL AND given_key IS NOT NULL GROUP BY 1),
-- term frequencies: the share of holders of a value among all holders, a holder counted once
-- however many records it has (a first name's holders are its distinct surnames, a surname's its
-- distinct first names, an address's its distinct names): a person with four records must not
-- make their own name look four times as common
first_tf AS (SELECT first_key AS v, (count(DISTINCT coalesce(last_key, '')) / sum(count(DISTINCT coalesce(last_key, ''))) OVER ())::FLOAT AS tf, count(*) AS n FROM derived WHERE first_key IS NOT NULL GROUP BY 1),
last_tf AS (SELECT last_key AS v, (count(DISTINCT coalesce(first_key, '')) / sum(count(DISTINCT coalesce(first_key, ''))) OVER ())::FLOAT AS tf FROM derived WHERE last_key IS NOT NULL GROUP BY 1),
email_tf AS (SELECT email_key AS v, (count(*) / sum(count(*)) OVER ())::FLOAT AS tf FROM derived WHERE email_key IS NOT NULL GROUP BY 1),
email_user_tf AS (SELECT email_user AS v, (count(*) / sum(count(*)) OVER ())::FLOAT AS tf FROM derived WHERE email_user IS NOT NULL GROUP BY 1),
birth_tf AS (SELECT birth_date AS v, (count(DISTINCT coalesce(first_key, '') || '|' || coalesce(last_key, '')) / sum(count(DISTINCT coalesce(first_key, '') || '|' || coalesce(last_key, ''))) OVER ())::FLOAT AS tf FROM derived WHERE birth_date IS NOT NULL GROUP BY 1),
city_tf AS (SELECT city_norm AS v, (count(DISTINCT coalesce(first_key, '') || '|' || coalesce(last_key, '')) / sum(count(DISTINCT coalesce(first_key, '') || '|' || coalesce(last_key, ''))) OVER ())::FLOAT AS tf FROM derived WHERE city_norm IS NOT NULL GROUP BY 1),
address_tf AS (SELECT address_key AS v, (count(DISTINCT coalesce(first_key, '') || '|' || coalesce(last_key, '')) / sum(count(DISTINCT coalesce(first_key, '') || '|' || coalesce(last_key, ''))) OVER ())::FLOAT AS tf FROM derived WHERE address_key IS NOT NULL GROUP BY 1),
phone_tf AS (SELECT v, (count(*) / sum(count(*)) OVER ())::FLOAT AS tf FROM (SELECT unnest(phones) AS v FROM derived) GROUP BY 1),
-- the lookups run on a narrow copy (the wide rows join once, by rec_id); first_n is capped at 3:
-- the comparisons only ask whether a first name is rare (on at most 2 records), and a capped
-- count changes only when that answer does, so a night's new Ivans do not change every Ivan's
-- record (and with it the kept levels of all their pairs, candidate-pairs.ts)
freqs AS (
  SELECT n.rec_id, coalesce(gm.g, n.last_key) AS last_given,
    f.tf AS tf_first, least(f.n, 3) AS first_n, l.tf AS tf_last, e.tf AS tf_email, eu.tf AS tf_email_user, a.tf AS tf_address,
    ph.tf AS tf_phone, mo.tf AS tf_mobile, bt.tf AS tf_birth, ct.tf AS tf_city
  FROM (SELECT rec_id, first_key, last_key, email_key, email_user, address_key, phone_e164, mobile_e164, birth_date, city_norm FROM derived) n
  LEFT JOIN given_map gm ON gm.v = n.last_key
  LEFT JOIN first_tf f ON f.v = n.first_key
  LEFT JOIN last_tf l ON l.v = n.last_key
  LEFT JOIN email_tf e ON e.v = n.email_key
  LEFT JOIN email_user_tf eu ON eu.v = n.email_user
  LEFT JOIN address_tf a ON a.v = n.address_key
  LEFT JOIN phone_tf ph ON ph.v = n.phone_e164
  LEFT JOIN phone_tf mo ON mo.v = n.mobile_e164
  LEFT JOIN birth_tf bt ON bt.v = n.birth_date
  LEFT JOIN city_tf ct ON ct.v = n.city_norm
)
SELECT d.*, q.* EXCLUDE (rec_id)
FROM derived d JOIN freqs q USING (rec_id);
