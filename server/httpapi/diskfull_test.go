//go:build linux

package httpapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"art60/server/api"
	"art60/server/store"

	"github.com/google/uuid"
)

// testDisk is where a disk-full test keeps its store: a small tmpfs when
// the test may mount one (root in a container, as in CI), else a directory
// whose free space is simulated from a capacity (the bytes its files hold
// are counted, as statfs would).
type testDisk struct {
	root  string
	space store.Space // Free is nil on a real disk: the store reads statfs
}

// The disk of the test, its reserve, and what is left above the reserve
// once the filler is written: two 1 MiB uploads fit, the third does not.
const (
	diskSize    = 64 << 20
	diskReserve = 16 << 20
	diskSpare   = 3 << 20
)

func tmpfsDisk(t *testing.T) (testDisk, error) {
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64m,mode=0700", "tmpfs", dir).CombinedOutput()
	if err != nil {
		return testDisk{}, errors.New(string(bytes.TrimSpace(out)))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return testDisk{root: dir, space: store.Space{Reserve: diskReserve}}, nil
}

func simulatedDisk(t *testing.T) testDisk {
	root := t.TempDir()
	free := func(string) (int64, error) {
		used, err := allocated(root)
		return diskSize - used, err
	}
	return testDisk{root: root, space: store.Space{Reserve: diskReserve, Free: free}}
}

// allocated is the bytes the files under root occupy (their blocks, so the
// sparse files Badger preallocates count for what they hold, as on tmpfs).
func allocated(root string) (int64, error) {
	var n int64
	err := filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			n += st.Blocks * 512
		}
		return nil
	})
	return n, err
}

func (d testDisk) free(t *testing.T) int64 {
	t.Helper()
	if d.space.Free != nil {
		n, err := d.space.Free(d.root)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(d.root, &st); err != nil {
		t.Fatal(err)
	}
	return int64(st.Bavail) * int64(st.Bsize)
}

// fill writes a file that leaves spare bytes above the reserve, and
// returns it.
func (d testDisk) fill(t *testing.T, spare int64) string {
	t.Helper()
	file := filepath.Join(d.root, "filler")
	size := d.free(t) - diskReserve - spare
	if size <= 0 {
		t.Fatalf("the store already uses the disk: %d bytes free", d.free(t))
	}
	if err := os.WriteFile(file, make([]byte, size), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestDiskFull runs the disk-full scenario on a real small tmpfs when this
// machine lets the test mount one, and always on a simulated disk, so that
// neither is skipped where the other runs.
func TestDiskFull(t *testing.T) {
	t.Run("tmpfs", func(t *testing.T) {
		d, err := tmpfsDisk(t)
		if err != nil {
			t.Skipf("cannot mount a tmpfs here (%v); the simulated disk runs the same scenario", err)
		}
		diskFullScenario(t, d)
	})
	t.Run("simulated", func(t *testing.T) { diskFullScenario(t, simulatedDisk(t)) })
}

// diskFullScenario: when the disk fills up (through uploads, then with a
// filler file), every write answers 503 storage_full with Retry-After and
// stores nothing, reads keep working (audited), and once space returns the
// same writes succeed; after a restart every write acknowledged before,
// during and after is there.
func diskFullScenario(t *testing.T, d testDisk) {
	f := newFixtureWith(t, func(o *setup) { o.store.Dir, o.store.Space = filepath.Join(d.root, "db"), d.space })
	worker, agent := f.login("worker-a"), f.login("agent-a")
	var subs []*api.Submission
	for range 3 {
		s := submission()
		worker.submit(s)
		subs = append(subs, s)
	}
	if res := agent.decide(subs[0].ID, api.StatusCalculated); res.status != 200 {
		t.Fatalf("decision: %d %s", res.status, res.body)
	}
	comment := api.CommentRequest{ID: uuid.NewString(), Text: "Please send the payslips."}
	if res := agent.do("POST", "/api/v1/requests/"+subs[1].ID+"/comments", comment); res.status != 201 {
		t.Fatalf("comment: %d %s", res.status, res.body)
	}

	filler := d.fill(t, diskSpare)
	var files [][]byte // uploads acknowledged
	var refused response
	for range diskSize >> 20 { // more than the disk holds: without the reserve, Badger meets the full disk

		pdf := pdfOf(1 << 20)
		res := worker.do("POST", "/api/v1/attachments", pdf, "Content-Type", "application/pdf")
		if res.status != 201 {
			refused = res
			break
		}
		files = append(files, pdf)
	}
	if len(files) == 0 || refused.status == 0 {
		t.Fatalf("%d uploads acknowledged, then %d; want some, then a refusal", len(files), refused.status)
	}
	checkStorageFull(t, "upload", refused)

	late := submission()
	lateComment := api.CommentRequest{ID: uuid.NewString(), Text: "The payslips are attached."}
	for name, res := range map[string]response{
		"push":     worker.do("POST", "/api/v1/sync/push", pushOf("dev-late", 1, late)),
		"decision": agent.decide(subs[2].ID, api.StatusInvalidated),
		"comment":  worker.do("POST", "/api/v1/requests/"+subs[1].ID+"/comments", lateComment),
		"sign-in":  f.anonymous().do("POST", "/api/v1/session", api.LoginRequest{Login: "worker-a", Password: password}),
	} {
		checkStorageFull(t, name, res)
	}
	for _, path := range []string{"/api/v1/sync/pull?schemaVersion=2", "/api/v1/requests/" + subs[0].ID,
		"/api/v1/requests/" + subs[1].ID + "/comments", "/api/v1/attachments/" + sha(files[0])} {
		if res := worker.do("GET", path, nil); res.status != 200 {
			t.Errorf("read %s while the disk is full: %d %s", path, res.status, res.body)
		}
	}
	if res := agent.do("GET", "/api/v1/queue", nil); res.status != 200 {
		t.Errorf("queue while the disk is full: %d %s", res.status, res.body)
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if r := worker.do("POST", "/api/v1/sync/push", pushOf("dev-late", 1, late)); r.status != 200 {
		t.Fatalf("the refused push, retried with space back: %d %s", r.status, r.body)
	}
	if r := agent.decide(subs[2].ID, api.StatusInvalidated); r.status != 200 {
		t.Fatalf("the refused decision, retried: %d %s", r.status, r.body)
	}
	if r := worker.do("POST", "/api/v1/requests/"+subs[1].ID+"/comments", lateComment); r.status != 201 {
		t.Fatalf("the refused comment, retried: %d %s", r.status, r.body)
	}
	pdf := pdfOf(1 << 20)
	if r := worker.do("POST", "/api/v1/attachments", pdf, "Content-Type", "application/pdf"); r.status != 201 {
		t.Fatalf("an upload with space back: %d %s", r.status, r.body)
	}
	files = append(files, pdf)
	f.anonymous().signIn("worker-a")

	// Restart on the same directory: everything acknowledged is there.
	f.close()
	st := f.reopen(f.dir, d.space)
	ctx := context.Background()
	want := map[string]api.Status{subs[0].ID: api.StatusCalculated, subs[1].ID: api.StatusSent,
		subs[2].ID: api.StatusInvalidated, late.ID: api.StatusSent}
	for id, status := range want {
		r, err := st.Request(ctx, cpasA, id)
		if err != nil || r.Status != status {
			t.Errorf("request %s after the restart: %v, status %v, want %s", id, err, r, status)
		}
	}
	if r, _ := st.Request(ctx, cpasA, subs[1].ID); r == nil || len(r.Thread) != 2 ||
		r.Thread[0].ID != comment.ID || r.Thread[1].ID != lateComment.ID {
		t.Errorf("the thread after the restart is not the two comments acknowledged: %+v", r)
	}
	for i, data := range files {
		if _, got, err := st.Attachment(ctx, cpasA, sha(data)); err != nil || !bytes.Equal(got, data) {
			t.Errorf("upload %d after the restart: %v", i, err)
		}
	}
}

func checkStorageFull(t *testing.T, what string, res response) {
	t.Helper()
	if res.status != 503 || res.header.Get("Retry-After") != "60" {
		t.Errorf("%s on a full disk: %d, Retry-After %q, want 503 and 60: %s", what, res.status, res.header.Get("Retry-After"), res.body)
		return
	}
	if e := res.errorBody(t); e.Code != api.CodeStorageFull {
		t.Errorf("%s on a full disk: code %s, want %s", what, e.Code, api.CodeStorageFull)
	}
}

// pdfOf is a unique file of size bytes that the upload takes for a PDF.
func pdfOf(size int) []byte {
	b := make([]byte, size)
	rand.Read(b)
	return append([]byte("%PDF-1.7\n"), b[9:]...)
}

// sha is an upload's id: the hex SHA-256 of its bytes.
func sha(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
