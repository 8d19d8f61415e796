// Package calccmd implements the `art60 calc` command: it solves cases of
// RULES.md §7 from a file, standard input or a JSON Lines batch and prints
// the results (or the errors) as JSON.
package calccmd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"art60/calc"
)

// MaxInput is the largest case (or batch line) read; anything longer is
// rejected as invalid instead of being read on and on.
const MaxInput = 8 << 20

// Exit codes.
const (
	ExitOK          = 0
	ExitInvalid     = 2  // the case is invalid (RULES.md §8)
	ExitUnreachable = 3  // no end date within 6 years (§12.14)
	ExitUsage       = 64 // bad arguments or unreadable file
)

const usage = `usage: art60 calc [-lang fr|nl|de|en] [FILE]
       art60 calc [-lang fr|nl|de|en] -batch FILE.jsonl

Reads one case (RULES.md §7) from FILE (standard input without FILE or with
-) and prints the result as indented JSON, or {"error":{"code":"invalid",...}}
or {"error":{"code":"unreachable",...}}. With -batch, reads one case per line
(blank lines skipped) and prints one JSON line per case. Inputs (and batch
lines) over 8 MiB are invalid. Exit status: 0 solved, 2 invalid,
3 unreachable (a batch exits with the highest status met), 64 usage error or
unreadable file.
`

// Run runs the command with args (without the "calc" word itself).
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("calc", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	lang := fs.String("lang", "en", "language of messages and explanations: fr, nl, de or en")
	batch := fs.String("batch", "", "JSON Lines file: one case per line")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return ExitOK
		}
		return usageError(stderr, err.Error())
	}
	switch *lang {
	case calc.LangFR, calc.LangNL, calc.LangDE, calc.LangEN:
	default:
		return usageError(stderr, "unknown language "+*lang)
	}
	if fs.NArg() > 1 || (*batch != "" && fs.NArg() > 0) {
		return usageError(stderr, "too many arguments")
	}
	if *batch != "" {
		f, err := open(*batch, stdin)
		if err != nil {
			return usageError(stderr, err.Error())
		}
		defer f.Close()
		return runBatch(f, stdout, *lang)
	}
	name := "-"
	if fs.NArg() == 1 {
		name = fs.Arg(0)
	}
	f, err := open(name, stdin)
	if err != nil {
		return usageError(stderr, err.Error())
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxInput+1))
	if err != nil {
		return usageError(stderr, err.Error())
	}
	out, code := solve(data, *lang)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return usageError(stderr, err.Error())
	}
	if _, err := stdout.Write(buf.Bytes()); err != nil {
		fmt.Fprintln(stderr, "art60 calc:", err)
	}
	return code
}

func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "art60 calc: %s\n\n%s", msg, usage)
	return ExitUsage
}

// open opens a file, or stands for standard input when name is "-".
func open(name string, stdin io.Reader) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(stdin), nil
	}
	return os.Open(name)
}

// errorBody is the JSON of a failure: {"error": {...}}.
type errorBody struct {
	Error any `json:"error"`
}

type invalidJSON struct {
	Code   string            `json:"code"`
	Fields []calc.FieldError `json:"fields"`
}

type unreachableJSON struct {
	Code string `json:"code"`
	*calc.UnreachableError
}

// solve turns one input into what to print and the exit status.
func solve(data []byte, lang string) (any, int) {
	if len(data) > MaxInput {
		return tooLarge(lang)
	}
	c, err := calc.Parse(data, lang)
	var r *calc.Result
	if err == nil {
		r, err = calc.Solve(c, lang)
	}
	var v *calc.ValidationError
	var u *calc.UnreachableError
	switch {
	case err == nil:
		return r, ExitOK
	case errors.As(err, &v):
		return errorBody{invalidJSON{"invalid", v.Fields}}, ExitInvalid
	case errors.As(err, &u):
		return errorBody{unreachableJSON{"unreachable", u}}, ExitUnreachable
	}
	// not reached: calc returns only the two errors above
	return errorBody{invalidJSON{"invalid", []calc.FieldError{{Path: "", Message: err.Error()}}}}, ExitInvalid
}

func tooLarge(lang string) (any, int) {
	return errorBody{invalidJSON{"invalid", calc.TooLargeError(lang).Fields}}, ExitInvalid
}

// runBatch solves one case per line and prints one JSON line per case.
// Blank lines are skipped; a line over MaxInput is reported invalid.
func runBatch(r io.Reader, w io.Writer, lang string) int {
	br := bufio.NewReaderSize(r, 64<<10)
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	worst := ExitOK
	for {
		line, tooLong, err := readLine(br)
		if len(bytes.TrimSpace(line)) > 0 || tooLong {
			out, code := solve(line, lang)
			if tooLong {
				out, code = tooLarge(lang)
			}
			b, _ := json.Marshal(out)
			bw.Write(b)
			bw.WriteByte('\n')
			worst = max(worst, code)
		}
		if err != nil {
			return worst
		}
	}
}

// readLine reads up to the next newline, keeping at most MaxInput bytes.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > MaxInput+1 {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), tooLong, err
	}
}
