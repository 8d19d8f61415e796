-- The sign-in throttle's failures, where every Cloudflare Worker isolate
-- counts the same ones (server/README.md, "Sign-in throttle"; the Go
-- server keeps them in memory and leaves this table empty). key_hmac is a
-- keyed hash of the throttle's key (an account, an address, or both),
-- never the login or the address itself; at is in Unix milliseconds (D1
-- passes numbers through JavaScript, exact to 2^53). Rows leave once
-- outside the 15-minute window.
CREATE TABLE signin_failures (
	key_hmac BLOB NOT NULL,
	at       INTEGER NOT NULL
);
CREATE INDEX signin_failures_key ON signin_failures (key_hmac, at);
CREATE INDEX signin_failures_at ON signin_failures (at);
