package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"art60/server/api"
	"art60/server/store"
	"art60/server/store/sqlbase"
)

var _ store.Checker = (*Store)(nil)

// maxProblems bounds the report, as Badger's check does.
const maxProblems = 100

// Check implements store.Checker (art60 admin check), writing nothing:
// SQLite's integrity_check (every page, and every index against its table)
// and foreign_key_check, every sealed value opened and decoded, each
// request against its row, each upload against its SHA-256, and the audit
// chain (VerifyAudit).
func (s *Store) Check(ctx context.Context) (_ store.CheckReport, err error) {
	defer store.Wrap(&err, "sqlite: Check")
	rep := store.CheckReport{Keys: map[string]int{}}
	problem := func(format string, a ...any) {
		if len(rep.Problems) < maxProblems {
			rep.Problems = append(rep.Problems, fmt.Sprintf(format, a...))
		}
	}
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		for _, pragma := range []string{`PRAGMA integrity_check`, `PRAGMA foreign_key_check`} {
			if err := eachRow(ctx, tx, pragma, func(cols []any) {
				if cols[0] != "ok" {
					problem("%s: %v", pragma, cols)
				}
			}); err != nil {
				return err
			}
		}
		for _, c := range sealedColumns {
			if err := s.checkColumn(ctx, tx, c, &rep, problem); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("store: check: %w", err)
	}
	audit, err := s.VerifyAudit(ctx)
	if err != nil {
		problem("audit chain: %v", err)
	}
	rep.Audit = audit
	if !audit.OK() {
		problem("audit chain broken at entry %d: %s", audit.BrokenAt, audit.Problem)
	}
	return rep, nil
}

// sealedColumn is a column Check opens: query returns the row's key parts
// and the sealed value; ad is its additional data; verify checks the
// opened value against its row.
type sealedColumn struct {
	kind   string
	query  string
	ad     func(k1, k2 string) string
	verify func(k1, k2 string, plain []byte) string
}

var sealedColumns = []sealedColumn{
	{"request", `SELECT id, cpas_id, data_sealed FROM requests`, func(id, _ string) string { return sqlbase.ADRequest(id) }, checkRequest},
	{"queue line", `SELECT id, '', item_sealed FROM requests WHERE item_sealed IS NOT NULL`,
		func(id, _ string) string { return sqlbase.ADItem(id) }, isJSON},
	{"attachment data", `SELECT cpas_id, sha256, data_sealed FROM attachments`, sqlbase.ADAttachment, checkUpload},
	{"user", `SELECT id, '', data_sealed FROM users`, func(id, _ string) string { return sqlbase.ADUser(id) }, isJSON},
	{"mail", `SELECT id, '', data_sealed FROM mail`, func(id, _ string) string { return sqlbase.ADMail(id) }, isJSON},
}

func (s *Store) checkColumn(ctx context.Context, tx *sql.Tx, c sealedColumn, rep *store.CheckReport, problem func(string, ...any)) error {
	rows, err := tx.QueryContext(ctx, c.query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k1, k2 string
		var sealed []byte
		if err := rows.Scan(&k1, &k2, &sealed); err != nil {
			return err
		}
		rep.Keys[c.kind]++
		plain, err := s.seal.Open(c.ad(k1, k2), sealed)
		if err != nil {
			problem("%s %s: %v", c.kind, c.ad(k1, k2), err)
			continue
		}
		if p := c.verify(k1, k2, plain); p != "" {
			problem("%s %s: %s", c.kind, c.ad(k1, k2), p)
		}
	}
	return rows.Err()
}

func isJSON(_, _ string, plain []byte) string {
	if !json.Valid(plain) {
		return "the value is not readable"
	}
	return ""
}

func checkRequest(id, cpasID string, plain []byte) string {
	var r api.Request
	if err := json.Unmarshal(plain, &r); err != nil {
		return err.Error()
	}
	if r.ID != id || r.CPASID != cpasID {
		return fmt.Sprintf("holds request %s of CPAS %s", r.ID, r.CPASID)
	}
	return ""
}

func checkUpload(_, sha string, plain []byte) string {
	sum := sha256.Sum256(plain)
	if hex.EncodeToString(sum[:]) != sha {
		return fmt.Sprintf("the bytes do not match their SHA-256 (%d bytes)", len(plain))
	}
	return ""
}

// eachRow calls fn with the columns of each row of a query.
func eachRow(ctx context.Context, tx *sql.Tx, query string, fn func(cols []any)) error {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return err
	}
	for rows.Next() {
		cols := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range cols {
			ptrs[i] = &cols[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		fn(cols)
	}
	return rows.Err()
}
