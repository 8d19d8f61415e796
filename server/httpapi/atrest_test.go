package httpapi

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"art60/server/admin"
	"art60/server/api"
)

// TestNISSNotInDataDirectory: a NISS sent through the API cannot be found
// in any file of the data directory (encryption at rest), neither while the
// server runs nor after it stopped, nor in a backup file.
func TestNISSNotInDataDirectory(t *testing.T) {
	f := newFixture(t)
	c := f.login("worker-a")
	for range 20 {
		c.submit(submission())
	}
	var r api.Request
	res := c.do("GET", "/api/v1/requests/"+c.pullAll()[0].ID, nil)
	res.decode(t, &r)
	if !bytes.Contains(r.Case, []byte(nissA)) {
		t.Fatalf("the NISS is not in the stored case: the test would prove nothing: %s", r.Case)
	}
	backup := filepath.Join(t.TempDir(), "backup.art60")
	var out, errOut bytes.Buffer
	if code := admin.Run("backup", []string{backup, "-data", f.dir, "-key-file", f.keyFile}, noEnv, &out, &errOut); code != 0 {
		t.Fatalf("backup: %s", errOut.String())
	}
	grepNone(t, f.dir, nissA)
	grepNone(t, backup, nissA)
	f.close() // flush memtables into tables
	grepNone(t, f.dir, nissA)
}

// grepNone is grep -r: it fails if any file under root holds needle.
func grepNone(t *testing.T, root, needle string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Type()&fs.ModeSocket != 0 {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		if bytes.Contains(b, []byte(needle)) {
			t.Errorf("%s holds %q in clear", path, needle)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatalf("no file under %s", root)
	}
}
