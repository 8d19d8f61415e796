package badgerstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/fb"
	badgeropt "github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/ristretto/v2"
	"github.com/dgraph-io/ristretto/v2/z"
)

// ErrDamaged is a store whose files are damaged (truncated, altered or
// missing): it is not opened, and the remedy is a restore from a backup
// (README, Faults and recovery).
var ErrDamaged = errors.New("store: the data directory is damaged")

// Badger does not fail cleanly on every damaged file (measured with
// v4.9.6, a store of requests and uploads, each file truncated, altered or
// deleted in turn): a truncated or altered table file (.sst), or a missing
// KEYREGISTRY, makes it panic in a goroutine of its own while opening,
// which kills the process; a MANIFEST that is missing or cut short opens
// an empty store and deletes the tables it no longer lists; a table whose
// checksum fails on opening is skipped with a log line ("Ignoring table").
// checkFiles reads a stopped store's files before Badger does and refuses
// those cases with ErrDamaged. Values in the value log are checked on each
// read instead (options: VerifyValueChecksum), and all of them by
// `art60 admin check`.
func checkFiles(dir string, key []byte) error {
	used, err := holdsData(dir)
	if err != nil || !used {
		return err
	}
	for _, name := range []string{"MANIFEST", "KEYREGISTRY"} {
		if _, err := os.Stat(filepath.Join(dir, name)); errors.Is(err, fs.ErrNotExist) {
			return damaged(dir, name+" is missing")
		}
	}
	mf, err := readManifest(dir)
	if err != nil {
		return damaged(dir, "MANIFEST: "+err.Error())
	}
	kr, err := badger.OpenKeyRegistry(badger.KeyRegistryOptions{Dir: dir, ReadOnly: true, EncryptionKey: key,
		EncryptionKeyRotationDuration: 10 * 24 * time.Hour})
	if errors.Is(err, badger.ErrEncryptionKeyMismatch) {
		return openError(dir, err)
	}
	if err != nil {
		return damaged(dir, "KEYREGISTRY: "+err.Error())
	}
	defer kr.Close()
	onDisk, err := filepath.Glob(filepath.Join(dir, "*.sst"))
	if err != nil {
		return err
	}
	// Tables the MANIFEST does not list are deleted by Badger: after a
	// crash that is right (a table written, the process killed before the
	// MANIFEST named it). With none listed, only the first flush of a new
	// store cut by a crash leaves that: one table, and the write-ahead log
	// (.mem) that still holds its data.
	mems, err := filepath.Glob(filepath.Join(dir, "*.mem"))
	if err != nil {
		return err
	}
	if len(mf.Tables) == 0 && (len(onDisk) > 1 || len(onDisk) == 1 && len(mems) == 0) {
		return damaged(dir, fmt.Sprintf("the MANIFEST lists no table, yet %d table files are there", len(onDisk)))
	}
	// Badger reads an encrypted table's index through this cache only.
	cache, err := ristretto.NewCache(&ristretto.Config[uint64, *fb.TableIndex]{NumCounters: 1 << 12, MaxCost: 16 << 20, BufferItems: 64})
	if err != nil {
		return err
	}
	defer cache.Close()
	for id, tf := range mf.Tables {
		if err := checkTable(table.NewFilename(id, dir), tf, kr, cache); err != nil {
			return damaged(dir, err.Error())
		}
	}
	return nil
}

// holdsData tells whether dir has any of a store's data files: a store
// whose first start was cut before its MANIFEST was written holds none.
func holdsData(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	for _, e := range entries {
		switch filepath.Ext(e.Name()) {
		case ".sst", ".vlog", ".mem":
			return true, nil
		}
		if e.Name() == "MANIFEST" {
			return true, nil
		}
	}
	return false, err
}

func damaged(dir, what string) error {
	return fmt.Errorf("%w: %s: %s; nothing was changed. Keep this directory as it is, restore the latest backup into a new one "+
		"(art60 restore FILE NEWDIR) and start on it (README, Faults and recovery)", ErrDamaged, dir, what)
}

func readManifest(dir string) (badger.Manifest, error) {
	f, err := os.Open(filepath.Join(dir, "MANIFEST"))
	if err != nil {
		return badger.Manifest{}, err
	}
	defer f.Close()
	mf, _, err := badger.ReplayManifestFile(f, 0, badger.DefaultOptions(dir))
	return mf, err
}

// checkTable opens one table read-only and verifies the checksum of its
// index and of every block. Badger's table code panics on some damage
// (slice bounds, nil index), so a panic here is a damaged table too.
func checkTable(file string, tf badger.TableManifest, kr *badger.KeyRegistry, cache *ristretto.Cache[uint64, *fb.TableIndex]) (err error) {
	name := filepath.Base(file)
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%s cannot be read (%s)", name, firstLine(fmt.Sprint(v)))
		}
	}()
	dk, err := kr.DataKey(tf.KeyID)
	if err != nil {
		return fmt.Errorf("%s: its key: %w", name, err)
	}
	mf, err := z.OpenMmapFile(file, os.O_RDONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s is missing", name)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	t, err := table.OpenTable(mf, table.Options{ReadOnly: true, BlockSize: 4 << 10, Compression: tf.Compression,
		ChkMode: badgeropt.OnTableAndBlockRead, DataKey: dk, IndexCache: cache})
	if err != nil {
		return fmt.Errorf("%s: %s", name, firstLine(err.Error()))
	}
	defer t.MmapFile.Close(-1) // not DecrRef: at zero references it deletes the file
	if err := t.VerifyChecksum(); err != nil {
		return fmt.Errorf("%s: %s", name, firstLine(err.Error()))
	}
	return nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
