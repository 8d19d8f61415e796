-- The rest of a sealed file too large for one value: D1 refuses a value
-- over 2 MB while the API takes files up to 10 MB, so the D1 store keeps
-- the first part of the sealed bytes in attachments.data_sealed and the
-- others here, in order (server/README.md, "The D1 store"). The SQLite
-- store writes one value and leaves this table empty. A file's parts go
-- with it (ON DELETE CASCADE).
CREATE TABLE attachment_parts (
	cpas_id     TEXT NOT NULL,
	sha256      TEXT NOT NULL,
	part        INTEGER NOT NULL, -- 1, 2, …: the part after data_sealed
	data_sealed BLOB NOT NULL,
	PRIMARY KEY (cpas_id, sha256, part),
	FOREIGN KEY (cpas_id, sha256) REFERENCES attachments (cpas_id, sha256) ON DELETE CASCADE
) WITHOUT ROWID;
