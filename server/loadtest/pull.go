package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"art60/server/api"

	"github.com/klauspost/compress/zstd"
)

// pullReport is what a new device's first full sync measured.
type pullReport struct {
	requests    int
	pages       int
	elapsed     time.Duration // requests, transfer and decoding
	wire, plain int64         // bytes received, and after decompression
}

func (p pullReport) String() string {
	return fmt.Sprintf("pull of everything by a new device: %d requests in %d pages, %s (server, transfer and decoding), "+
		"%.1f MB on the wire (zstd), %.1f MB of JSON\n", p.requests, p.pages, p.elapsed.Round(time.Millisecond),
		float64(p.wire)/1e6, float64(p.plain)/1e6)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// pullAll syncs a new device of the demo worker's CPAS from scratch, as the
// PWA does (pages of the server's size, zstd as a browser accepts it), and
// decodes every request.
func pullAll(hc *http.Client, base string) (pullReport, error) {
	var rep pullReport
	dec, err := zstd.NewReader(nil)
	if err != nil {
		return rep, err
	}
	defer dec.Close()
	start, cursor := time.Now(), ""
	for {
		q := url.Values{"cursor": {cursor}, "schemaVersion": {strconv.Itoa(api.SchemaVersion)}}
		req, _ := http.NewRequest("GET", base+"/api/v1/sync/pull?"+q.Encode(), nil)
		req.Header.Set("Accept-Encoding", "zstd")
		res, err := hc.Do(req)
		if err != nil {
			return rep, err
		}
		wire := &countingReader{r: res.Body}
		var body io.Reader = wire
		if res.Header.Get("Content-Encoding") == "zstd" {
			if err := dec.Reset(wire); err != nil {
				res.Body.Close()
				return rep, err
			}
			body = dec
		}
		plain := &countingReader{r: body}
		var page api.PullReply
		err = json.NewDecoder(plain).Decode(&page)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			return rep, fmt.Errorf("pull: %d %v", res.StatusCode, err)
		}
		rep.pages++
		rep.requests += len(page.Requests)
		rep.wire += wire.n
		rep.plain += plain.n
		cursor = page.Cursor
		if !page.More {
			rep.elapsed = time.Since(start)
			return rep, nil
		}
	}
}
