-- Interactions that name no party record, matched to a customer by the identity model from
-- the name, e-mail and phone they carry (identity/contact-matches.ts); replaced each run.
CREATE TABLE IF NOT EXISTS identity.contact_matches (
  interaction_uid VARCHAR,
  customer_id BIGINT,
  match_probability DOUBLE
);
