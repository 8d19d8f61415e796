// Command art60 is the server and administration binary: `art60 serve`
// serves the PWA and the API; the other subcommands compute a case or
// administer the store.
package main

import (
	"fmt"
	"io"
	"os"

	"art60/server/admin"
	"art60/server/calccmd"
	"art60/server/serve"
)

const usage = `usage: art60 <command> [flags]

commands:
  serve      serve the app and the API (art60 serve -h for flags)
  calc       compute one case: art60 calc [-lang fr|nl|de|en] [-batch FILE.jsonl] [FILE]
  admin      accounts: art60 admin cpas add|list, user add|disable|list, office list
  backup     online backup of the store: art60 backup FILE
  restore    restore a backup into an empty directory: art60 restore FILE DIR
  audit      the audit trail: art60 audit export [-format jsonl|csv], art60 audit verify
  subject    a person's data, by NISS on stdin: echo NISS | art60 subject export|accesses|erase
`

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// run is the program: the environment comes in as getenv, read here and in
// the commands it is handed to, nowhere else.
func run(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		return serve.Run(args[1:], getenv, stdout, stderr)
	case "calc":
		return calccmd.Run(args[1:], stdin, stdout, stderr)
	case "admin", "backup", "restore", "audit":
		return admin.Run(args[0], args[1:], getenv, stdout, stderr)
	case "subject":
		return admin.RunSubject(args[1:], getenv, stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "art60: unknown command %q\n%s", args[0], usage)
	return 2
}
