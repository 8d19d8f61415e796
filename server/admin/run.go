// Package admin holds art60's command-line administration: CPAS, users and
// offices (art60 admin), backup and restore, and the audit export. The
// commands open the store directly when the server is stopped, and go
// through the running server's control socket otherwise (Badger lets one
// process hold a data directory).
package admin

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"art60/server/accounts"
	"art60/server/store"
	"art60/server/store/stores"
)

// Run runs one command: cmd is "admin", "backup", "restore" or "audit", args
// what follows it, getenv the environment (os.Getenv in main: ART60_DATA,
// ART60_KEY_FILE, ART60_KEY). It returns the process exit code.
func Run(cmd string, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	inv, err := parse(cmd, args, getenv)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "art60 %s: %v\n%s", cmd, err, usage)
		return 2
	}
	if cmd == "restore" {
		return report(stderr, cmd, restore(inv, stdout))
	}
	if cmd == "backup" {
		return report(stderr, cmd, backup(inv, stdout, stderr))
	}
	if isCheck(inv) {
		return report(stderr, cmd, check(inv, stdout, stderr))
	}
	return report(stderr, cmd, withStore(inv, stdout, stderr))
}

const usage = `usage:
  art60 admin cpas add -name NAME -enterprise NUMBER -office OFFICE
  art60 admin cpas list
  art60 admin user add -login LOGIN -name NAME -role cpas_worker|cpas_admin|onem_agent|office_admin|dpo|admin [-cpas NUMBER] [-office OFFICE] [-password PW]
  art60 admin user disable -login LOGIN
  art60 admin user enable -login LOGIN
  art60 admin user reset-password -login LOGIN [-password PW]
  art60 admin user list
  art60 admin office list
  art60 admin check
  art60 backup FILE
  art60 restore FILE DIR
  art60 audit export [-format jsonl|csv] [-after SEQ] [-request ID]
  art60 audit verify
  echo NISS | art60 subject export|accesses|erase   (a person's data, who opened it, erasure; NISS on stdin only)
common flags: -data DIR (env ART60_DATA, ./data/db), -key-file FILE (env ART60_KEY_FILE, ./data/key); env ART60_KEY (hex) overrides the key file
`

// invocation is a parsed command line.
type invocation struct {
	cmd     string
	words   []string // positional words: "user", "add", FILE...
	flags   *flag.FlagSet
	dataDir string
	keyFile string
	hexKey  string   // $ART60_KEY, which wins over keyFile
	raw     []string // the arguments as given, forwarded to a running server
}

func parse(cmd string, args []string, getenv func(string) string) (*invocation, error) {
	switch cmd {
	case "admin", "backup", "restore", "audit", "subject":
	default:
		return nil, fmt.Errorf("unknown command %q", cmd)
	}
	inv := &invocation{cmd: cmd, raw: args, flags: flag.NewFlagSet(cmd, flag.ContinueOnError), hexKey: getenv(store.KeyEnv)}
	inv.flags.SetOutput(io.Discard)
	inv.flags.StringVar(&inv.dataDir, "data", cmp.Or(getenv("ART60_DATA"), "./data/db"), "data directory")
	inv.flags.StringVar(&inv.keyFile, "key-file", cmp.Or(getenv("ART60_KEY_FILE"), "./data/key"), "encryption key file")
	defineFlags(inv.flags)
	i := 0
	for i < len(args) && !strings.HasPrefix(args[i], "-") {
		i++
	}
	if err := inv.flags.Parse(args[i:]); err != nil {
		return nil, err
	}
	inv.words = append(append([]string{}, args[:i]...), inv.flags.Args()...)
	return inv, nil
}

// defineFlags declares every command's own flags on one set: commands
// ignore the ones that are not theirs.
func defineFlags(fs *flag.FlagSet) {
	for _, name := range []string{"name", "enterprise", "office", "login", "role", "cpas", "password", "request", "after", "niss"} {
		fs.String(name, "", "")
	}
	fs.String("format", "jsonl", "audit export format: jsonl or csv")
}

func (inv *invocation) flag(name string) string { return inv.flags.Lookup(name).Value.String() }

// noEnv is the environment of a command forwarded to the running server:
// its flags came with it, and the server's own environment is not the
// caller's.
func noEnv(string) string { return "" }

func report(stderr io.Writer, cmd string, err error) int {
	if err == nil {
		return 0
	}
	if isUsage(err) {
		fmt.Fprintf(stderr, "art60 %s: %v\n%s", cmd, err, usage)
		return 2
	}
	fmt.Fprintf(stderr, "art60 %s: %v\n", cmd, err)
	return 1
}

type usageError string

func (e usageError) Error() string { return string(e) }

// isUsage says whether err is the user's mistake: a wrong flag, or an
// account or CPAS that breaks a rule of server/accounts.
func isUsage(err error) bool {
	var ue usageError
	var fe *accounts.FieldError
	return errors.As(err, &ue) || errors.As(err, &fe)
}

// withStore runs a command on the store: directly, or through the running
// server when it holds the directory.
func withStore(inv *invocation, stdout, stderr io.Writer) error {
	key, _, err := store.LoadKey(inv.hexKey, inv.keyFile, false)
	if err != nil {
		return err
	}
	return onStore(inv, key, stdout, stderr, func(ctx context.Context, st store.Store, out io.Writer) error {
		return execute(ctx, st, inv, out)
	})
}

// onStore runs run on the store of inv's data directory, opened with key,
// or forwards the command to the running server that holds the directory.
func onStore(inv *invocation, key []byte, stdout, stderr io.Writer, run func(context.Context, store.Store, io.Writer) error) error {
	st, err := stores.Open(stores.Config{Dir: inv.dataDir, Key: key, Logger: quietLogger(stderr), GCInterval: -1})
	if errors.Is(err, store.ErrLocked) {
		return forward(SocketPath(inv.dataDir), inv.cmd, inv.raw, stdout, stderr)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	return run(context.Background(), st, stdout)
}

func quietLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// execute runs a store command (everything but backup and restore).
func execute(ctx context.Context, st store.Store, inv *invocation, out io.Writer) error {
	w := inv.words
	switch {
	case inv.cmd == "audit" && len(w) == 1 && w[0] == "export":
		return exportAudit(ctx, st, inv, out)
	case inv.cmd == "audit" && len(w) == 1 && w[0] == "verify":
		return verifyAudit(ctx, st, out)
	case inv.cmd == "subject" && len(w) == 1:
		return subject(ctx, st, inv, out)
	case isCheck(inv):
		return checkStore(ctx, st, out)
	case inv.cmd == "backup" && len(w) == 1 && w[0] == "-":
		// Recorded before the copy starts, so the backup holds its own entry.
		if err := st.AppendAudit(ctx, commandAudit(store.ActionBackup)); err != nil {
			return fmt.Errorf("record the backup in the audit trail: %w", err)
		}
		return st.Backup(out)
	case inv.cmd != "admin" || len(w) != 2:
	case w[0] == "cpas" && w[1] == "add":
		return addCPAS(ctx, st, inv, out)
	case w[0] == "cpas" && w[1] == "list":
		return listCPAS(ctx, st, out)
	case w[0] == "user" && w[1] == "add":
		return addUser(ctx, st, inv, out)
	case w[0] == "user" && w[1] == "disable":
		return disableUser(ctx, st, inv, out)
	case w[0] == "user" && w[1] == "enable":
		return enableUser(ctx, st, inv, out)
	case w[0] == "user" && w[1] == "reset-password":
		return resetPassword(ctx, st, inv, out)
	case w[0] == "user" && w[1] == "list":
		return listUsers(ctx, st, out)
	case w[0] == "office" && w[1] == "list":
		return listOffices(out)
	}
	return usageError("unknown command: " + strings.Join(append([]string{inv.cmd}, w...), " "))
}
