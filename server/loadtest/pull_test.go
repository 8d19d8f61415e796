package main

import (
	"testing"
	"time"

	"art60/server/store/stores"
)

// BenchmarkPull10000 times a new device's first sync of a CPAS holding
// 10,000 requests (pushed by 20 devices, as the load test does): every
// page of the pull through the real server on loopback, compressed, and
// decoded in Go, as README "Performance" states the target (≤ 300 ms).
//
//	go test -run '^$' -bench Pull10000 -benchtime 5x ./server/loadtest/
func BenchmarkPull10000(b *testing.B) {
	benchmarkPull(b, 10000)
}

func benchmarkPull(b *testing.B, n int) {
	stop, base, err := startServer(b.TempDir(), stores.Badger)
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
	hc, err := signIn(base, 20)
	if err != nil {
		b.Fatal(err)
	}
	rep := push(hc, base, config{clients: 20, duration: time.Hour, requests: n})
	if rep.failures > 0 || rep.pushes != n {
		b.Fatalf("pushed %d of %d:\n%s", rep.pushes, n, rep)
	}
	var last pullReport
	b.ResetTimer()
	for b.Loop() {
		if last, err = pullAll(hc, base); err != nil {
			b.Fatal(err)
		}
		if last.requests != n {
			b.Fatalf("pulled %d requests of %d", last.requests, n)
		}
	}
	b.ReportMetric(float64(last.wire)/1e6, "MB-wire/op")
	b.ReportMetric(float64(last.plain)/1e6, "MB-json/op")
}
