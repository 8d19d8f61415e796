package sqlite

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"art60/server/api"
	"art60/server/store"
)

// BenchmarkApplyMutation is the store's share of a push: 50 devices
// applying new requests of about 4 KiB (a case with a NISS, names, a
// result) with the audit entry, synchronous=FULL. ns/op is per push.
//
//	go test -run '^$' -bench ApplyMutation ./server/store/sqlite/
func BenchmarkApplyMutation(b *testing.B) {
	s, err := Open(Config{Dir: b.TempDir(), Key: testKey})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	s.PutCPAS(ctx, store.CPAS{ID: cpasA, Name: "A", OfficeID: "namur"})
	c := []byte(fmt.Sprintf(`{"person":{"niss":%q},"periods":%q}`, niss(1), strings.Repeat("2026-01-05..2026-02-27 ", 150)))
	var n atomic.Int64
	b.SetParallelism(max(1, 50/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		device := n.Add(1)
		for i := int64(1); pb.Next(); i++ {
			id := fmt.Sprintf("r-%d-%d", device, i)
			_, err := s.ApplyMutation(ctx, store.Mutation{UserID: "u", ClientID: fmt.Sprint(device), MutationID: i, Digest: id,
				Audit: store.AuditEntry{UserID: "u", Role: api.RoleWorker},
				Decide: func(v store.View) (*api.Request, *api.Error) {
					if _, err := v.Request(cpasA, id); err == nil {
						return nil, &api.Error{Code: api.CodeAlreadySent}
					}
					return &api.Request{Submission: api.Submission{ID: id, Kind: api.KindInitial, Case: c, LastName: "Name", FirstName: "First"},
						CPASID: cpasA, RootID: id, Status: api.StatusSent, ReceivedAt: time.Now().UTC().Format(time.RFC3339), DueDate: "2026-12-01"}, nil
				}})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
}
