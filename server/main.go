// Command art60 is the server and administration binary: `art60 serve`
// serves the PWA and the API; the other subcommands compute a case or
// administer the store.
package main

import (
	"fmt"
	"io"
	"os"

	"art60/server/serve"
)

const usage = `usage: art60 <command> [flags]

commands:
  serve      serve the app and the API (art60 serve -h for flags)
  calc       compute one case: art60 calc [-lang fr|nl|de|en] [FILE]
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		return serve.Run(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "art60: unknown command %q\n%s", args[0], usage)
	return 2
}
