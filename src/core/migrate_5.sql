-- itstrat schema, version 5 (migration 4 -> 5): versions for the records that
-- hang off another as an ordered list of texts, now edited one by one in the
-- browser and the API like every other record (src/core/record_defs*.c): an
-- output's deliverables, a progress update's footnotes, a report's related
-- documents. Their rowid is their id.
ALTER TABLE deliverable ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE update_footnote ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE report_related ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
