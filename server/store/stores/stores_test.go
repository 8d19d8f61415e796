package stores

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"art60/server/store"
)

var key = bytes.Repeat([]byte{7}, 32)

func TestADirectoryOpensAsTheKindItHoldsAndRefusesTheOther(t *testing.T) {
	for _, kind := range []string{Badger, SQLite} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			st, err := Open(Config{Kind: kind, Dir: dir, Key: key, GCInterval: -1})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.PutCPAS(context.Background(), store.CPAS{ID: "0212345668", Name: "A", OfficeID: "namur"}); err != nil {
				t.Fatal(err)
			}
			st.Close()
			if Held(dir) != kind {
				t.Fatalf("held %q", Held(dir))
			}
			other := map[string]string{Badger: SQLite, SQLite: Badger}[kind]
			if _, err := Open(Config{Kind: other, Dir: dir, Key: key, GCInterval: -1}); err == nil || !strings.Contains(err.Error(), "holds a "+kind+" store") {
				t.Fatalf("opened as %s: %v", other, err)
			}
			st, err = Open(Config{Dir: dir, Key: key, GCInterval: -1})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if _, err := st.CPAS(context.Background(), "0212345668"); err != nil {
				t.Fatalf("opened without a kind: %v", err)
			}
		})
	}
	if _, err := Open(Config{Kind: "postgres", Dir: t.TempDir(), Key: key}); err == nil {
		t.Fatal("an unknown kind opened")
	}
	if Held(t.TempDir()) != "" {
		t.Fatal("an empty directory holds a store")
	}
}

func TestABackupOfEitherKindRestoresAsItsKind(t *testing.T) {
	for _, kind := range []string{Badger, SQLite} {
		t.Run(kind, func(t *testing.T) {
			st, err := Open(Config{Kind: kind, Dir: t.TempDir(), Key: key, GCInterval: -1})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			st.PutCPAS(context.Background(), store.CPAS{ID: "0212345668", Name: "A", OfficeID: "namur"})
			file := filepath.Join(t.TempDir(), "backup")
			f, _ := os.Create(file)
			if err := st.Backup(f); err != nil {
				t.Fatal(err)
			}
			f.Seek(0, 0)
			defer f.Close()
			dir := filepath.Join(t.TempDir(), "restored")
			if err := Restore(f, dir, key, nil); err != nil {
				t.Fatal(err)
			}
			if Held(dir) != kind {
				t.Fatalf("restored as %q", Held(dir))
			}
			r, err := Open(Config{Dir: dir, Key: key, GCInterval: -1})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if c, err := r.CPAS(context.Background(), "0212345668"); err != nil || c.Name != "A" {
				t.Fatalf("%+v %v", c, err)
			}
		})
	}
}
