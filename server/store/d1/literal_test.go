package d1

import "testing"

// Literal puts each argument in its placeholder's place, numbered or not,
// leaves question marks inside quotes alone and escapes quotes in text.
func TestLiteralPutsArgumentsInTheirPlaces(t *testing.T) {
	for _, c := range []struct {
		st   Statement
		want string
	}{
		{Statement{SQL: `INSERT INTO t VALUES (?, ?, ?)`, Args: []any{"it's", []byte{1, 255}, nil}}, `INSERT INTO t VALUES ('it''s', X'01ff', NULL)`},
		{Statement{SQL: `SELECT ?2, ?1, '?' WHERE x = ?2`, Args: []any{int64(7), 3}}, `SELECT 3, 7, '?' WHERE x = 3`},
	} {
		if got, err := Literal(c.st); err != nil || got != c.want {
			t.Errorf("Literal(%q) = %q, %v; want %q", c.st.SQL, got, err, c.want)
		}
	}
	if _, err := Literal(Statement{SQL: `SELECT ?, ?`, Args: []any{1}}); err == nil {
		t.Error("a placeholder without its argument was accepted")
	}
	if _, err := Literal(Statement{SQL: `SELECT ?`, Args: []any{1.5}}); err == nil {
		t.Error("an argument of an unknown type was accepted")
	}
}
