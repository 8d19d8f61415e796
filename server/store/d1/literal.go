package d1

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Literal writes a statement with its arguments in place as SQL literals,
// for a file that wrangler d1 execute runs (tools/d1seed). It knows the
// placeholders ? and ?NNN outside quoted text, and the argument types the
// store binds: nil, strings, byte slices (BLOB), integers.
func Literal(st Statement) (string, error) {
	var b strings.Builder
	next, quote := 0, byte(0)
	q := st.SQL
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n := i + 1
			for n < len(q) && q[n] >= '0' && q[n] <= '9' {
				n++
			}
			idx := next
			if n > i+1 {
				k, _ := strconv.Atoi(q[i+1 : n])
				idx = k - 1
			}
			next = idx + 1
			if idx < 0 || idx >= len(st.Args) {
				return "", fmt.Errorf("d1: %q: placeholder %d has no argument", q, idx+1)
			}
			lit, err := literal(st.Args[idx])
			if err != nil {
				return "", err
			}
			b.WriteString(lit)
			i = n - 1
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), nil
}

func literal(a any) (string, error) {
	switch v := a.(type) {
	case nil:
		return "NULL", nil
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'", nil
	case []byte:
		return "X'" + hex.EncodeToString(v) + "'", nil
	case int:
		return strconv.Itoa(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	}
	return "", fmt.Errorf("d1: no SQL literal for a %T", a)
}

// InsertOrIgnore makes an INSERT statement leave an existing row alone.
func InsertOrIgnore(s string) string {
	if rest, ok := strings.CutPrefix(s, "INSERT INTO "); ok {
		return "INSERT OR IGNORE INTO " + rest
	}
	return s
}
