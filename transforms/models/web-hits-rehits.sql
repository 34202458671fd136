-- The published hits of the visitors touched tonight that stay (web-hits-touched.sql), to be
-- sessionised again with the restaged ones.
INSERT INTO {{rehits}} BY NAME
SELECT * EXCLUDE (_rid, gone) FROM {{touched}}
WHERE NOT gone
