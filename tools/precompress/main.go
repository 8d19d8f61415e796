// Command precompress writes FILE.br and FILE.gz next to each FILE given,
// at the best ratios, so the server can send the wasm compressed without
// compressing it on every request.
package main

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: precompress FILE...")
		os.Exit(2)
	}
	for _, name := range os.Args[1:] {
		if err := compress(name); err != nil {
			fmt.Fprintln(os.Stderr, "precompress:", err)
			os.Exit(1)
		}
	}
}

func compress(name string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	br := func(w io.Writer) io.WriteCloser { return brotli.NewWriterLevel(w, brotli.BestCompression) }
	gz := func(w io.Writer) io.WriteCloser { z, _ := gzip.NewWriterLevel(w, gzip.BestCompression); return z }
	for ext, newWriter := range map[string]func(io.Writer) io.WriteCloser{".br": br, ".gz": gz} {
		if err := write(name+ext, data, newWriter); err != nil {
			return err
		}
	}
	return nil
}

// write compresses into a temporary file and renames it, so a reader never
// sees a half-written file.
func write(name string, data []byte, newWriter func(io.Writer) io.WriteCloser) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".precompress-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	zw := newWriter(tmp)
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	fi, _ := os.Stat(tmp.Name())
	fmt.Printf("%s: %d bytes (%.1f%% of %d)\n", name, fi.Size(), 100*float64(fi.Size())/float64(len(data)), len(data))
	return os.Rename(tmp.Name(), name)
}
