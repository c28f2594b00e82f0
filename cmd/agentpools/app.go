package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/seed570a29ac/agentpools/client"
)

// Exit statuses of the command.
const (
	exitOK    = 0
	exitError = 1 // an API, network or output error
	exitUsage = 2 // an invalid command line, configuration or request body
)

// app is one run of the command: its streams, its environment and the
// values of the global flags.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string

	// stdoutTerminal picks the default output format, and stderrTerminal
	// turns on progress messages for long listings.
	stdoutTerminal bool
	stderrTerminal bool

	org    string // --org, or "" for OKTA_CLIENT_ORGURL
	output string // --output, or "" for table on a terminal and json otherwise
}

// runFunc runs a command with its positional arguments, after its flags
// have been parsed.
type runFunc func(ctx context.Context, a *app, args []string) error

// command is one verb of a group, such as "updates create", or a command
// without verbs, such as "demo".
type command struct {
	path     string   // words that select the command: "updates create"
	args     []string // names of the positional arguments, all required
	synopsis string   // the flags part of the usage line
	summary  string   // one line for the command lists
	about    string   // paragraph for the command's own help, if any
	example  string   // one or more command lines, one per line

	// lifecycle marks the verbs that change the status of an update, which
	// the top-level help shows on one line.
	lifecycle bool

	// setup defines the command's flags on fs and returns the function that
	// runs it with their parsed values.
	setup func(fs *flag.FlagSet) runFunc
}

// group is a first word of the command line: a resource with verbs, or a
// command of its own when cmd is set.
type group struct {
	name    string
	summary string
	verbs   []*command
	cmd     *command
}

// groups lists every command of agentpools, in the order help shows them.
var groups = []*group{
	{name: "pools", summary: "list agent pools", verbs: poolsCommands},
	{name: "updates", summary: "list, create, change and control the auto-updates of a pool", verbs: updatesCommands},
	{name: "settings", summary: "show and change the auto-update settings of a pool", verbs: settingsCommands},
	{name: "demo", cmd: demoCommand},
	{name: "serve-fake", cmd: serveFakeCommand},
}

func findGroup(name string) *group {
	for _, g := range groups {
		if g.name == name {
			return g
		}
	}
	return nil
}

func (g *group) findVerb(name string) *command {
	for _, c := range g.verbs {
		if c.path == g.name+" "+name {
			return c
		}
	}
	return nil
}

func (g *group) verbNames() []string {
	names := make([]string, len(g.verbs))
	for i, c := range g.verbs {
		names[i] = strings.TrimPrefix(c.path, g.name+" ")
	}
	return names
}

// usageError is an invalid command line, configuration or request body.
// The command prints it with a pointer to the help of path and exits with
// status 2.
type usageError struct {
	path string // command whose help to point to, or "" for the top level
	msg  string
}

func (e *usageError) Error() string { return e.msg }

func usagef(path, format string, args ...any) error {
	return &usageError{path: path, msg: fmt.Sprintf(format, args...)}
}

// run runs the command line args and returns the exit status. It reads
// request bodies from stdin, writes results to stdout and messages to
// stderr, and reads configuration through getenv. Cancelling ctx stops a
// request in flight, and stops serve-fake cleanly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{
		stdin:          stdin,
		stdout:         stdout,
		stderr:         stderr,
		getenv:         getenv,
		stdoutTerminal: isTerminal(stdout),
		stderrTerminal: isTerminal(stderr),
	}
	return a.main(ctx, args)
}

// main runs args and reports the outcome on a.stderr.
func (a *app) main(ctx context.Context, args []string) int {
	err := a.dispatch(ctx, args)
	return a.report(err)
}

// isTerminal reports whether w is a character device, such as a terminal.
// NOTE: /dev/null is a character device too, so output sent there is
// formatted as a table and then discarded.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// dispatch parses the global flags, finds the command and runs it.
func (a *app) dispatch(ctx context.Context, args []string) error {
	root := flag.NewFlagSet("agentpools", flag.ContinueOnError)
	root.SetOutput(io.Discard)
	a.defineGlobalFlags(root)
	if err := root.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return a.printHelp(rootHelp())
		}
		return usagef("", "%v", err)
	}

	rest := root.Args()
	if len(rest) == 0 {
		return usagef("", "missing command")
	}
	if rest[0] == "help" {
		return a.help(rest[1:])
	}
	g := findGroup(rest[0])
	if g == nil {
		return usagef("", "unknown command %q", rest[0])
	}
	if g.cmd != nil {
		return a.runCommand(ctx, g.cmd, rest[1:])
	}

	if len(rest) < 2 {
		return usagef(g.name, "missing verb after %q; use one of: %s", g.name, strings.Join(g.verbNames(), ", "))
	}
	verb := rest[1]
	if isHelpFlag(verb) {
		return a.printHelp(groupHelp(g))
	}
	if strings.HasPrefix(verb, "-") {
		return usagef(g.name, "flag %s is between %q and its verb; put flags before %q or after the verb", verb, g.name, g.name)
	}
	cmd := g.findVerb(verb)
	if cmd == nil {
		return usagef(g.name, "unknown verb %q for %q; use one of: %s", verb, g.name, strings.Join(g.verbNames(), ", "))
	}
	return a.runCommand(ctx, cmd, rest[2:])
}

func isHelpFlag(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "--h":
		return true
	}
	return false
}

// help runs "agentpools help [group [verb]]".
func (a *app) help(args []string) error {
	if len(args) == 0 {
		return a.printHelp(rootHelp())
	}

	g := findGroup(args[0])
	switch {
	case g == nil:
		return usagef("", "unknown command %q", args[0])
	case g.cmd != nil:
		return a.printHelp(commandHelp(g.cmd))
	case len(args) == 1:
		return a.printHelp(groupHelp(g))
	}

	cmd := g.findVerb(args[1])
	if cmd == nil {
		return usagef(g.name, "unknown verb %q for %q; use one of: %s", args[1], g.name, strings.Join(g.verbNames(), ", "))
	}
	return a.printHelp(commandHelp(cmd))
}

func (a *app) printHelp(text string) error {
	_, err := io.WriteString(a.stdout, text)
	return err
}

// runCommand parses the flags and positional arguments of cmd, which may be
// mixed, and runs it.
func (a *app) runCommand(ctx context.Context, cmd *command, args []string) error {
	fs := newFlagSet(cmd)
	runner := cmd.setup(fs)
	a.defineGlobalFlags(fs)

	positional, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return a.printHelp(commandHelp(cmd))
		}
		return usagef(cmd.path, "%v", err)
	}

	if len(positional) < len(cmd.args) {
		missing := cmd.args[len(positional):]
		return usagef(cmd.path, "missing %s", strings.Join(missing, " and "))
	}
	if len(positional) > len(cmd.args) {
		return usagef(cmd.path, "unexpected argument %q", positional[len(cmd.args)])
	}
	for i, arg := range positional {
		if err := checkID(cmd.path, cmd.args[i], arg); err != nil {
			return err
		}
	}

	return runner(ctx, a, positional)
}

// checkID rejects an empty ID, and the IDs "." and "..", which a server or
// proxy that removes dot segments from paths would turn into a request for
// another resource. name is the argument, such as POOL_ID.
func checkID(cmdPath, name, value string) error {
	switch strings.TrimSpace(value) {
	case "":
		return usagef(cmdPath, "%s is empty", name)
	case ".", "..":
		return usagef(cmdPath, "%s %q is not a valid ID; pass the ID of an agent pool or update, as listed by \"pools list\" or \"updates list\"", name, value)
	}
	return nil
}

func newFlagSet(cmd *command) *flag.FlagSet {
	fs := flag.NewFlagSet("agentpools "+cmd.path, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseInterspersed parses the flags in args wherever they stand, and
// returns the other arguments in order. Every argument after "--" is
// positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}

		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// outputFlag is the value of --output: "json", "table", or "" for the
// default.
type outputFlag struct{ value *string }

func (f outputFlag) String() string {
	if f.value == nil {
		return ""
	}
	return *f.value
}

func (f outputFlag) Set(s string) error {
	switch s {
	case "json", "table":
		*f.value = s
		return nil
	}
	return errors.New("use json or table")
}

// defineGlobalFlags defines --org and --output on fs. They are accepted
// before the group and again after the verb, where they win.
func (a *app) defineGlobalFlags(fs *flag.FlagSet) {
	fs.StringVar(&a.org, "org", a.org, "Okta org `URL`, such as https://example.okta.com, which overrides OKTA_CLIENT_ORGURL")
	fs.Var(outputFlag{&a.output}, "output", "output `FORMAT`: json or table")
}

// format returns the output format: --output, else table when standard
// output is a terminal and json when it is not.
func (a *app) format() string {
	switch {
	case a.output != "":
		return a.output
	case a.stdoutTerminal:
		return "table"
	default:
		return "json"
	}
}

// userAgent is the product token that the command adds to the client
// library's User-Agent header.
const userAgent = "agentpools-cli/" + client.Version

// newClient returns a client configured from the environment and --org.
// Every configuration error is a *usageError.
func (a *app) newClient() (*client.Client, error) {
	cfg, err := loadConfig(a.getenv, a.org)
	if err != nil {
		return nil, err
	}
	creds, err := cfg.credentials()
	if err != nil {
		return nil, err
	}

	c, err := client.New(cfg.orgURL, client.WithCredentials(creds), client.WithUserAgent(userAgent))
	if err != nil {
		return nil, usagef("", "%v (the org URL comes from %s)", err, cfg.orgSource)
	}
	return c, nil
}
