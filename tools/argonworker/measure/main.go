// Command measure times argon2id under workerd through the Worker of
// tools/argonworker (make worker-argon serves it on 127.0.0.1:8790): for
// each of OWASP's equivalent parameter sets, rounds of a request hashing 10
// times less an empty request, interleaved so that the machine's load
// falls on all sets alike; it prints each set's median and best per hash,
// and the same hash in native Go for comparison.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"slices"
	"time"

	"golang.org/x/crypto/argon2"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8790", "the measuring Worker")
	rounds := flag.Int("rounds", 8, "interleaved rounds")
	flag.Parse()
	sets := [][2]int{{19 * 1024, 2}, {12 * 1024, 3}, {9 * 1024, 4}, {7 * 1024, 5}}
	per := make([][]time.Duration, len(sets))
	for range *rounds {
		for i, s := range sets {
			empty, err := timed(*base, s, 0)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			ten, err := timed(*base, s, 10)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			per[i] = append(per[i], (ten-empty)/10)
		}
	}
	for i, s := range sets {
		slices.Sort(per[i])
		native := time.Hour
		for range 5 {
			start := time.Now()
			argon2.IDKey([]byte("x"), make([]byte, 16), uint32(s[1]), uint32(s[0]), 1, 32)
			native = min(native, time.Since(start))
		}
		fmt.Printf("m=%d MiB t=%d: workerd median %v (best %v), native best %v\n", s[0]/1024, s[1],
			per[i][len(per[i])/2].Round(time.Millisecond), per[i][0].Round(time.Millisecond), native.Round(time.Millisecond))
	}
}

func timed(base string, s [2]int, n int) (time.Duration, error) {
	start := time.Now()
	resp, err := http.Get(fmt.Sprintf("%s/?m=%d&t=%d&n=%d", base, s[0], s[1], n))
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("measure: %s", resp.Status)
	}
	return time.Since(start), nil
}
