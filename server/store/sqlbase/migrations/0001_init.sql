-- art60's SQLite schema (server/README.md, "The SQLite store").
-- Plaintext columns hold ids, statuses, dates and counters only; every
-- column that may hold personal data is sealed (AES-256-GCM, the row's
-- table and key as additional data) and named *_sealed.

-- meta holds the sync epoch, the audit counter and the pending purge mark.
CREATE TABLE meta (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE cpas (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	office_id  TEXT NOT NULL,
	created_at TEXT NOT NULL,
	seq        INTEGER NOT NULL DEFAULT 0 -- last change sequence of the CPAS
) WITHOUT ROWID;

-- One row per request id: an id names one request in the whole store.
-- data_sealed is the api.Request with Seq left out (the seq column is the
-- truth), item_sealed its api.QueueItem (names included) without the CPAS's
-- name and office. decided_at is set when the request is in the decided
-- part of the queue; an erased request (status 'erased') is in no part.
CREATE TABLE requests (
	id          TEXT PRIMARY KEY,
	cpas_id     TEXT NOT NULL REFERENCES cpas (id),
	office_id   TEXT NOT NULL,
	root_id     TEXT NOT NULL,
	kind        TEXT NOT NULL,
	status      TEXT NOT NULL,
	received_at TEXT NOT NULL,
	due_date    TEXT NOT NULL,
	decided_at  TEXT,
	seq         INTEGER NOT NULL,
	niss_hmac   BLOB, -- HMAC-SHA256 of the NISS's digits, for a lookup by NISS
	data_sealed BLOB NOT NULL,
	item_sealed BLOB
);
CREATE UNIQUE INDEX requests_changes ON requests (cpas_id, seq);
CREATE INDEX requests_sent ON requests (office_id, due_date, cpas_id, id)
	WHERE decided_at IS NULL AND status <> 'erased';
CREATE INDEX requests_decided ON requests (office_id, decided_at, cpas_id, id)
	WHERE decided_at IS NOT NULL;
CREATE INDEX requests_end_checks ON requests (cpas_id, root_id) WHERE kind = 'end_check';
CREATE INDEX requests_niss ON requests (niss_hmac) WHERE niss_hmac IS NOT NULL;

-- The attachments each request names, so that "is this file still used"
-- is one indexed look-up.
CREATE TABLE request_files (
	cpas_id    TEXT NOT NULL,
	sha256     TEXT NOT NULL,
	request_id TEXT NOT NULL REFERENCES requests (id),
	PRIMARY KEY (cpas_id, sha256, request_id)
) WITHOUT ROWID;
CREATE INDEX request_files_request ON request_files (request_id);

CREATE TABLE attachments (
	cpas_id     TEXT NOT NULL,
	sha256      TEXT NOT NULL,
	meta        TEXT NOT NULL, -- store.Attachment as JSON: ids, type, size, dates
	data_sealed BLOB NOT NULL,
	PRIMARY KEY (cpas_id, sha256)
);

-- Idempotency: the last mutationId of each device, and the stored result of
-- each applied mutation until expires_at (unix seconds, store clock).
CREATE TABLE devices (
	user_id       TEXT NOT NULL,
	client_id     TEXT NOT NULL,
	last_mutation INTEGER NOT NULL,
	PRIMARY KEY (user_id, client_id)
) WITHOUT ROWID;
CREATE TABLE mutation_results (
	user_id     TEXT NOT NULL,
	client_id   TEXT NOT NULL,
	mutation_id INTEGER NOT NULL,
	digest      TEXT NOT NULL,
	result      TEXT NOT NULL, -- api.MutationResult as JSON: ids, statuses, dates
	expires_at  INTEGER NOT NULL,
	PRIMARY KEY (user_id, client_id, mutation_id)
) WITHOUT ROWID;

-- Users: the login only as a keyed hash, the account sealed (names, e-mail
-- logins, password hash).
CREATE TABLE users (
	id          TEXT PRIMARY KEY,
	login_hmac  BLOB NOT NULL UNIQUE,
	data_sealed BLOB NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL,
	expires_at INTEGER NOT NULL, -- unix nanoseconds, store clock
	data       TEXT NOT NULL     -- store.Session as JSON
) WITHOUT ROWID;
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- The audit trail holds ids only; entry is the canonical encoding the hash
-- chain is computed on (store.ChainAudit).
CREATE TABLE audit (
	seq        INTEGER PRIMARY KEY,
	cpas_id    TEXT,
	request_id TEXT,
	entry      TEXT NOT NULL
);
CREATE INDEX audit_request ON audit (request_id, seq) WHERE request_id IS NOT NULL;

-- The outbox: state is pending, sent or failed; data_sealed the store.Mail
-- (its address is personal data).
CREATE TABLE mail (
	id              TEXT PRIMARY KEY,
	state           TEXT NOT NULL,
	next_attempt_at TEXT NOT NULL,
	data_sealed     BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX mail_due ON mail (next_attempt_at, id) WHERE state = 'pending';
