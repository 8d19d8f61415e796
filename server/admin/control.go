package admin

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"art60/server/store"
)

// The control socket lets admin commands use the running server's store.
// It is a unix socket next to the data directory, mode 0600: whoever may
// use it may read the data directory and the key anyway. One request per
// connection, a JSON line {"cmd","args"}; the answer is a stream of frames
// (channel byte, 4-byte length, data): 1 stdout, 2 stderr, 3 end (see
// endFrame).
const (
	chanStdout byte = 1
	chanStderr byte = 2
	chanEnd    byte = 3
)

// SocketPath is the control socket of a data directory.
func SocketPath(dataDir string) string {
	if abs, err := filepath.Abs(dataDir); err == nil {
		dataDir = abs
	}
	return filepath.Clean(dataDir) + ".sock"
}

// ControlServer serves admin commands on the control socket.
type ControlServer struct {
	ln   net.Listener
	st   store.Store
	log  *slog.Logger
	path string
	wg   sync.WaitGroup
}

type controlRequest struct {
	Cmd  string   `json:"cmd"`
	Args []string `json:"args"`
}

// ListenControl starts the control socket. The caller holds the store, so a
// socket file left by a killed server is stale and is replaced.
func ListenControl(path string, st store.Store, log *slog.Logger) (*ControlServer, error) {
	os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	c := &ControlServer{ln: ln, st: st, log: log, path: path}
	c.wg.Add(1)
	go c.accept()
	return c, nil
}

func (c *ControlServer) accept() {
	defer c.wg.Done()
	for {
		conn, err := c.ln.Accept()
		if err != nil {
			return
		}
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			c.serve(conn)
		}()
	}
}

func (c *ControlServer) serve(conn net.Conn) {
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var req controlRequest
	if err := json.NewDecoder(io.LimitReader(conn, 64<<10)).Decode(&req); err != nil {
		return
	}
	conn.SetReadDeadline(time.Time{})
	bw := bufio.NewWriterSize(conn, 64<<10)
	out := &frameWriter{w: bw, ch: chanStdout}
	err := c.run(req)(out)
	out.frame(chanEnd, endFrame(err))
	bw.Flush()
	c.log.Info("admin command", "cmd", req.Cmd, "ok", err == nil)
}

// run parses a forwarded command; restore never runs here: it writes a new
// directory, not the live store.
func (c *ControlServer) run(req controlRequest) func(io.Writer) error {
	inv, err := parse(req.Cmd, req.Args, noEnv)
	if err == nil && req.Cmd == "restore" {
		err = usageError("restore does not go through the server")
	}
	if err != nil {
		return func(io.Writer) error { return err }
	}
	return func(w io.Writer) error { return execute(context.Background(), c.st, inv, w) }
}

// endFrame encodes a command's outcome: a kind byte (0 done, 1 failed,
// 2 usage error) and the message.
func endFrame(err error) []byte {
	switch {
	case err == nil:
		return []byte{0}
	case isUsage(err):
		return append([]byte{2}, err.Error()...)
	}
	return append([]byte{1}, err.Error()...)
}

// Close stops accepting commands and waits for those running.
func (c *ControlServer) Close() error {
	err := c.ln.Close()
	c.wg.Wait()
	os.Remove(c.path)
	return err
}

type frameWriter struct {
	w  *bufio.Writer
	ch byte
}

func (f *frameWriter) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 {
		n := min(len(p), 1<<20)
		if err := f.frame(f.ch, p[:n]); err != nil {
			return 0, err
		}
		p = p[n:]
	}
	return total, nil
}

func (f *frameWriter) frame(ch byte, p []byte) error {
	var head [5]byte
	head[0] = ch
	binary.BigEndian.PutUint32(head[1:], uint32(len(p)))
	if _, err := f.w.Write(head[:]); err != nil {
		return err
	}
	_, err := f.w.Write(p)
	return err
}

// forward sends a command to the running server and copies its output.
func forward(path, cmd string, args []string, stdout, stderr io.Writer) error {
	conn, err := net.Dial("unix", path)
	if err != nil {
		return fmt.Errorf("the data directory is in use and the server's control socket does not answer: %w", err)
	}
	defer conn.Close()
	if err := json.NewEncoder(conn).Encode(controlRequest{Cmd: cmd, Args: args}); err != nil {
		return err
	}
	r := bufio.NewReaderSize(conn, 64<<10)
	for {
		var head [5]byte
		if _, err := io.ReadFull(r, head[:]); err != nil {
			return errors.New("the server closed the control connection early")
		}
		data := make([]byte, binary.BigEndian.Uint32(head[1:]))
		if _, err := io.ReadFull(r, data); err != nil {
			return errors.New("the server closed the control connection early")
		}
		switch head[0] {
		case chanStdout:
			if _, err := stdout.Write(data); err != nil {
				return err
			}
		case chanStderr:
			stderr.Write(data)
		case chanEnd:
			switch {
			case len(data) == 0 || data[0] == 0:
				return nil
			case data[0] == 2:
				return usageError(data[1:])
			}
			return errors.New(string(data[1:]))
		}
	}
}
