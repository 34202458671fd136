-- What a step recomputed because it changed (issue 15): an incremental night says how little it
-- touched, so an operator sees that a night did little because little changed. `touched_what`
-- names the unit counted (keys, records, customers, rows, dates); NULL for steps that do not say.
ALTER TABLE meta.run_steps ADD COLUMN touched BIGINT;
ALTER TABLE meta.run_steps ADD COLUMN touched_what VARCHAR;
