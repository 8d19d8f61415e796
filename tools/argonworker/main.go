//go:build js && wasm

// Command argonworker measures argon2id under workerd (README, "Cloudflare
// Workers", argon2id): GET /?m=KiB&t=passes&n=count hashes n times with
// those parameters and answers when done. Time inside a Worker stands
// still between I/O (a Spectre mitigation), so the caller times the
// request from outside and subtracts an n=0 request.
package main

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/syumai/workers"
	"golang.org/x/crypto/argon2"
)

func main() {
	workers.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		m, _ := strconv.Atoi(q.Get("m"))
		t, _ := strconv.Atoi(q.Get("t"))
		n, _ := strconv.Atoi(q.Get("n"))
		salt := make([]byte, 16)
		for range n {
			argon2.IDKey([]byte("correct horse battery staple"), salt, uint32(t), uint32(m), 1, 32)
		}
		fmt.Fprintf(w, "m=%d t=%d n=%d\n", m, t, n)
	}))
}
