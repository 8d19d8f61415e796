package main

import (
	"fmt"
	"regexp"
	"testing"
)

// The table is read from other programs' output: these are the lines they
// print (server/loadtest, e2e's t.Logf), so a change of format fails here.
func TestTheFiguresAreReadFromTheLinesTheToolsPrint(t *testing.T) {
	pull := "pull of everything by a new device: 10412 requests in 53 pages, 1.204s (server, transfer and decoding), 0.3 MB on the wire (zstd), 12.5 MB of JSON\n"
	if n, ms, wire, ok := pullLine(pull); !ok || n != 10412 || ms != 1204 || wire != 0.3 {
		t.Errorf("pull line read as %d requests, %v ms, %v MB, %v", n, ms, wire, ok)
	}
	if n, ms, _, ok := pullLine("pull of everything by a new device: 12 requests in 1 pages, 35ms (server, transfer and decoding), 0.0 MB on the wire (zstd), 0.1 MB of JSON"); !ok || n != 12 || ms != 35 {
		t.Errorf("pull in ms read as %d, %v, %v", n, ms, ok)
	}
	push := "  pushes applied  9916 (0 failed)\n  throughput      3305 pushes/s\n  latency         p50 5.1ms  p90 9.8ms  p99 20.3ms  max 41.0ms\n"
	if r, p, n := firstFloat(`throughput\s+([\d.]+) pushes/s`, push), firstFloat(`p99 ([\d.]+)ms`, push), firstFloat(`pushes applied\s+(\d+)`, push); r != 3305 || p != 20.3 || n != 9916 {
		t.Errorf("push report read as %v pushes/s, p99 %v, %v applied", r, p, n)
	}
	logs := []string{ // the formats of e2e/biglist_test.go and e2e/editor_test.go
		fmt.Sprintf("    biglist_test.go:129: list shown in %.0f ms (%d requests; target 1000 ms)", 921.4, 10000),
		fmt.Sprintf("    biglist_test.go:160: filter by name in %.1f ms (target 50 ms)", 40.1),
		fmt.Sprintf("    editor_test.go:89: input-to-result latency over %d edits: p50 %.1f ms, p95 %.1f ms", 50, 15.2, 36.4),
		fmt.Sprintf("    editor_test.go:196: 150 rows: input-to-result latency over %d edits: p50 %.1f ms, p95 %.1f ms", 20, 23.0, 55.5),
	}
	want := []float64{921, 40.1, 36.4, 55.5}
	for i, f := range browserLog {
		if got := firstFloat(f.re, logs[i]); got != want[i] {
			t.Errorf("%s: read %v in %q, want %v", f.what, got, logs[i], want[i])
		}
	}
	// the V2 line must not be taken from the 150-row one
	if got := firstFloat(browserLog[2].re, logs[3]+"\n"+logs[2]); got != 36.4 {
		t.Errorf("the V2 figure read as %v from the 150-row line", got)
	}
	start := startRow(fmt.Sprintf("    start_test.go:44: start: first load cold %.0f ms, reload from the service worker %.0f ms (median of 5; cold [...], reload [...])", 412.0, 151.0))
	if start.measured != "0.41 s / 0.15 s" || start.ok == nil || !*start.ok {
		t.Errorf("start line read as %q (ok %v)", start.measured, start.ok)
	}
	if slow := startRow("start: first load cold 412 ms, reload from the service worker 230 ms"); slow.ok == nil || *slow.ok {
		t.Errorf("a reload of 230 ms is not marked over: %+v", slow)
	}
	ns := floats(regexp.MustCompile(`BenchmarkSolve/200-\d+\s+\d+\s+([\d.]+) ns/op`),
		"BenchmarkSolve/200-2   \t    5587\t    258523 ns/op\t   77597 B/op\t     235 allocs/op\nBenchmarkSolve/200-2 \t 6451\t 224192 ns/op\n")
	if len(ns) != 2 || median(ns) != (258523+224192)/2.0 {
		t.Errorf("solve lines read as %v", ns)
	}
}
