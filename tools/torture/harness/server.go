package harness

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// server is the real art60 binary on a temporary data directory. It keeps
// its port across restarts, as a real deployment does, so that the clients'
// cookies and Origin header stay valid; only when the port was taken in the
// meantime does it move.
type server struct {
	bin, web, dir string
	port          int
	log           *os.File // the server's stderr (JSON logs), kept for diagnosis
	cmd           *exec.Cmd
	exited        chan struct{}
}

const readyPrefix = "art60 is ready at "

func newServer(bin, web, dir string) (*server, error) {
	log, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	return &server{bin: bin, web: web, dir: dir, log: log}, nil
}

func (s *server) base() string { return fmt.Sprintf("http://127.0.0.1:%d", s.port) }

// start runs the server and waits until it accepts connections.
func (s *server) start() error {
	var last error
	for range 3 {
		if s.port == 0 {
			p, err := freePort()
			if err != nil {
				return err
			}
			s.port = p
		}
		if last = s.startOnce(); last == nil {
			return nil
		}
		s.port = 0 // perhaps another process took it
	}
	return last
}

func (s *server) startOnce() error {
	cmd := exec.Command(s.bin, "serve", "-addr", fmt.Sprintf("127.0.0.1:%d", s.port), "-web", s.web,
		"-data", filepath.Join(s.dir, "db"), "-key-file", filepath.Join(s.dir, "key"), "-demo")
	// The caller's ART60_* settings (a key, an SMTP server, another data
	// directory) must not leak into a run on throw-away data.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ART60_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	// An os.Pipe rather than StdoutPipe: Wait must not close our end while
	// the drain goroutine still reads it.
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = pw, s.log
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		return err
	}
	pw.Close()
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	ready := make(chan bool, 1)
	go func() {
		lines := bufio.NewScanner(pr)
		ok := false
		for lines.Scan() {
			if strings.HasPrefix(lines.Text(), readyPrefix) {
				ok = true
				break
			}
		}
		ready <- ok
		io.Copy(io.Discard, pr)
		pr.Close()
	}()
	select {
	case ok := <-ready:
		if ok {
			s.cmd, s.exited = cmd, exited
			return nil
		}
	case <-time.After(30 * time.Second):
	}
	cmd.Process.Kill()
	<-exited
	return fmt.Errorf("art60 did not start on port %d (exit: %v); see %s", s.port, cmd.ProcessState, s.log.Name())
}

// kill ends the server with SIGKILL: no handler runs, nothing is flushed.
func (s *server) kill() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
	s.cmd = nil
}

// stop ends the server gracefully (SIGTERM), SIGKILL after 20 s.
func (s *server) stop() error {
	if s.cmd == nil {
		return nil
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(20 * time.Second):
		s.kill()
		return errors.New("art60 did not stop within 20 s of SIGTERM")
	}
	st := s.cmd.ProcessState
	s.cmd = nil
	if !st.Success() {
		return fmt.Errorf("art60 stopped with %v after SIGTERM", st)
	}
	return nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
