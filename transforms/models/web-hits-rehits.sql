-- The published hits of the visitors touched tonight that stay (web-hits-touched.sql), to be
-- sessionised again with the restaged ones.
INSERT INTO {{rehits}} BY NAME
SELECT h.* FROM {{web_hits}} AS h
WHERE h.rowid IN (SELECT _rid FROM {{touched}} WHERE NOT gone)
