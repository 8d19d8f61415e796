package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// readyAt is when the app marked itself ready (app/ui shell: the
// "art60-ready" performance mark), in ms since the navigation began.
const readyAt = `new Promise((resolve) => {
  const look = () => {
    const m = performance.getEntriesByName("art60-ready");
    if (m.length) { resolve(m[0].startTime); } else { setTimeout(look, 10); }
  };
  look();
})`

// TestStartTime logs the time the app takes to start, median of 5, in two
// cases (README, "Performance"): a first visit in a new browser profile
// (nothing cached, the wasm from the network) and a reload once the
// service worker controls the page (everything from its cache). Not a
// timed pass/fail test: make bench reads the logged figures.
func TestStartTime(t *testing.T) {
	srv := startServer(t)
	const runs = 5
	var cold, warm []float64
	for i := 0; i < runs; i++ {
		b := newBrowser(t)
		cold = append(cold, b.readyTime(t, srv.URL+"/login"))
		if i == 0 {
			var controlled bool
			b.Run(t, "service worker takes control",
				chromedp.Poll(`navigator.serviceWorker.controller !== null`, &controlled,
					chromedp.WithPollingTimeout(30*time.Second)))
			for j := 0; j < runs; j++ {
				warm = append(warm, b.readyTime(t, srv.URL+"/login"))
			}
		}
		b.close(t)
	}
	t.Logf("start: first load cold %.0f ms, reload from the service worker %.0f ms (median of %d; cold %v, reload %v)",
		medianOf(cold), medianOf(warm), runs, cold, warm)
}

// readyTime navigates to url and returns when the app marked itself ready.
func (b *browser) readyTime(t *testing.T, url string) float64 {
	t.Helper()
	var ms float64
	b.Run(t, "start "+url, chromedp.Navigate(url), waitReady(), Eval(readyAt, &ms))
	if ms <= 0 {
		t.Fatalf("start %s: ready mark at %v ms", url, ms)
	}
	return ms
}

func medianOf(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
