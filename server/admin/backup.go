package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"art60/server/store"
	"art60/server/store/stores"
)

// backup writes an encrypted backup to FILE: through a temporary file,
// synced and renamed, so FILE is either complete or absent.
func backup(inv *invocation, stdout, stderr io.Writer) error {
	if len(inv.words) != 1 || inv.words[0] == "-" {
		return usageError("backup needs one FILE")
	}
	file := inv.words[0]
	tmp, err := os.CreateTemp(filepath.Dir(file), ".art60-backup-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := writeBackup(inv, tmp, stderr); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s (encrypted with the store key)\n", file)
	return nil
}

func writeBackup(inv *invocation, w io.Writer, stderr io.Writer) error {
	key, _, err := store.LoadKey(inv.hexKey, inv.keyFile, false)
	if err != nil {
		return err
	}
	st, err := stores.Open(stores.Config{Dir: inv.dataDir, Key: key, Logger: quietLogger(stderr), GCInterval: -1})
	if errors.Is(err, store.ErrLocked) {
		// Online backup: the running server streams it.
		return forward(SocketPath(inv.dataDir), "backup", []string{"-"}, w, stderr)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	return execute(context.Background(), st, &invocation{cmd: "backup", words: []string{"-"}}, w)
}

// restore loads FILE into the empty directory DIR with the same key.
func restore(inv *invocation, stdout io.Writer) error {
	if len(inv.words) != 2 {
		return usageError("restore needs FILE and DIR")
	}
	key, _, err := store.LoadKey(inv.hexKey, inv.keyFile, false)
	if err != nil {
		return err
	}
	f, err := os.Open(inv.words[0])
	if err != nil {
		return err
	}
	defer f.Close()
	if err := stores.Restore(f, inv.words[1], key, quietLogger(io.Discard)); err != nil {
		return err
	}
	if err := auditRestore(inv.words[1], key); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s into %s; devices will resynchronise\n", inv.words[0], inv.words[1])
	return nil
}
