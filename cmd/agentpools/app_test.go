package main

import (
	"bytes"
	"context"
	"flag"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// result is the outcome of one run of the command.
type result struct {
	code   int
	stdout string
	stderr string
}

// runCLI runs the command in-process with env as its whole environment
// and stdin as its standard input.
func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()

	var stdout, stderr bytes.Buffer
	getenv := func(name string) string { return env[name] }
	code := run(t.Context(), args, strings.NewReader(stdin), &stdout, &stderr, getenv)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func TestHelpOnEveryLevel(t *testing.T) {
	tests := []struct {
		args []string
		want []string // texts the help must contain
	}{
		{[]string{"--help"}, []string{"Usage:", "OKTA_CLIENT_ORGURL", "no --token flag", "Exit status:", "agentpools demo", "on an error the array is left\n  unterminated and the exit status is 1"}},
		{[]string{"-h"}, []string{"Commands:", "updates activate|deactivate|pause|resume|retry|stop POOL_ID UPDATE_ID"}},
		{[]string{"help"}, []string{"Commands:"}},
		{[]string{"pools", "--help"}, []string{"agentpools pools list", "Examples:"}},
		{[]string{"updates", "-h"}, []string{"agentpools updates create POOL_ID --body FILE|-", "agentpools updates stop 0pr1a2b3c4 upd5d6e7f8"}},
		{[]string{"settings", "--help"}, []string{"agentpools settings update POOL_ID --body FILE|-"}},
		{[]string{"pools", "list", "--help"}, []string{"--limit-per-type N", "--max-pages N", "next cursor: CURSOR", "on an error the\narray is left unterminated and the exit status is 1", "Example:\n  agentpools pools list"}},
		{[]string{"updates", "list", "-h"}, []string{"--scheduled true", "Example:\n  agentpools updates list"}},
		{[]string{"updates", "create", "--help"}, []string{"--body FILE", "0 8 ? * 6#3", "Example:"}},
		{[]string{"updates", "pause", "P", "U", "--help"}, []string{"Usage: agentpools updates pause POOL_ID UPDATE_ID", "Example:"}},
		{[]string{"settings", "update", "--help"}, []string{"releaseChannel", "Example:"}},
		{[]string{"demo", "--help"}, []string{"Usage: agentpools demo", "Example:"}},
		{[]string{"serve-fake", "--help"}, []string{"--addr HOST:PORT", "TLS", "Example:"}},
		{[]string{"help", "updates", "retry"}, []string{"Usage: agentpools updates retry POOL_ID UPDATE_ID"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			res := runCLI(t, nil, "", tt.args...)

			assert.Equal(t, exitOK, res.code)
			assert.Empty(t, res.stderr)
			for _, want := range tt.want {
				assert.Contains(t, res.stdout, want)
			}
		})
	}
}

func TestEveryCommandHasExample(t *testing.T) {
	for _, g := range groups {
		commands := g.verbs
		if g.cmd != nil {
			commands = []*command{g.cmd}
		}
		for _, c := range commands {
			assert.NotEmpty(t, c.summary, c.path)
			uses := strings.Contains("\n"+c.example, "\nagentpools "+c.path) || strings.Contains(c.example, "| agentpools "+c.path)
			assert.True(t, uses, "example of %q: %q", c.path, c.example)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // the first line of standard error
		help string // the command the second line points to
	}{
		{"no command", nil, "agentpools: missing command", "agentpools"},
		{"unknown command", []string{"frobnicate"}, `agentpools: unknown command "frobnicate"`, "agentpools"},
		{"missing verb", []string{"updates"}, `agentpools: missing verb after "updates"; use one of: list, get, create`, "agentpools updates"},
		{"flag before verb", []string{"updates", "--output", "json", "list", "P"}, `agentpools: flag --output is between "updates" and its verb`, "agentpools updates"},
		{"unknown verb", []string{"pools", "get"}, `agentpools: unknown verb "get" for "pools"; use one of: list`, "agentpools pools"},
		{"unknown global flag", []string{"--verbose", "pools", "list"}, "agentpools: flag provided but not defined: -verbose", "agentpools"},
		{"unknown command flag", []string{"pools", "list", "--page-size", "3"}, "agentpools: flag provided but not defined: -page-size", "agentpools pools list"},
		{"missing argument", []string{"updates", "get", "P"}, "agentpools: missing UPDATE_ID", "agentpools updates get"},
		{"missing arguments", []string{"updates", "stop"}, "agentpools: missing POOL_ID and UPDATE_ID", "agentpools updates stop"},
		{"extra argument", []string{"settings", "get", "P", "Q"}, `agentpools: unexpected argument "Q"`, "agentpools settings get"},
		{"empty argument", []string{"settings", "get", " "}, "agentpools: POOL_ID is empty", "agentpools settings get"},
		{"dot-dot ID", []string{"settings", "get", ".."}, `agentpools: POOL_ID ".." is not a valid ID`, "agentpools settings get"},
		{"dot ID", []string{"updates", "get", "P", "."}, `agentpools: UPDATE_ID "." is not a valid ID`, "agentpools updates get"},
		{"org with password", []string{"--org", "https://admin:hunter2@acme.okta.com", "pools", "list"}, `agentpools: --org "https://acme.okta.com" contains user information, which is not shown; remove it, because credentials come only from the OKTA_CLIENT_* variables`, "agentpools"},
		{"invalid output", []string{"--output", "yaml", "pools", "list"}, `agentpools: invalid value "yaml" for flag -output: use json or table`, "agentpools"},
		{"invalid scheduled", []string{"updates", "list", "P", "--scheduled", "yes please"}, `agentpools: invalid --scheduled "yes please": use true or false`, "agentpools updates list"},
		{"negative limit", []string{"pools", "list", "--limit-per-type", "-1"}, "agentpools: invalid --limit-per-type -1", "agentpools pools list"},
		{"limit beyond int32", []string{"pools", "list", "--limit-per-type", "99999999999"}, "agentpools: invalid --limit-per-type 99999999999: use a number from 1 to 2147483647", "agentpools pools list"},
		{"negative max pages", []string{"pools", "list", "--max-pages=-2"}, "agentpools: invalid --max-pages -2", "agentpools pools list"},
		{"non-numeric limit", []string{"pools", "list", "--limit-per-type", "many"}, `agentpools: invalid value "many" for flag -limit-per-type`, "agentpools pools list"},
		{"missing body", []string{"updates", "create", "P"}, "agentpools: missing --body", "agentpools updates create"},
		{"help of unknown", []string{"help", "nothing"}, `agentpools: unknown command "nothing"`, "agentpools"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{envOrgURL: "https://example.okta.com", envToken: "not-used"}
			res := runCLI(t, env, "", tt.args...)

			assert.Equal(t, exitUsage, res.code)
			assert.Empty(t, res.stdout)
			lines := strings.Split(strings.TrimSuffix(res.stderr, "\n"), "\n")
			require.Len(t, lines, 2, res.stderr)
			assert.True(t, strings.HasPrefix(lines[0], tt.want), "got %q; want prefix %q", lines[0], tt.want)
			assert.Equal(t, "Run '"+tt.help+" --help' for usage.", lines[1])
		})
	}
}

func TestOrgUserInfoNeverPrinted(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"flag", map[string]string{envToken: "00abc"}, []string{"--org", "https://admin:hunter2@acme.okta.com", "settings", "get", "P"}, "--org "},
		{"variable", map[string]string{envToken: "00abc", envOrgURL: "https://admin:hunter2@acme.okta.com"}, []string{"settings", "get", "P"}, envOrgURL + " "},
		{"user only", map[string]string{envToken: "00abc", envOrgURL: "https://hunter2@acme.okta.com"}, []string{"settings", "get", "P"}, envOrgURL + " "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, tt.env, "", tt.args...)

			assert.Equal(t, exitUsage, res.code)
			assert.Contains(t, res.stderr, "agentpools: "+tt.want)
			assert.Contains(t, res.stderr, "OKTA_CLIENT_* variables")
			assert.NotContains(t, res.stderr, "hunter2")
			assert.NotContains(t, res.stderr, "WithCredentials")
		})
	}
}

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantArgs  []string
		wantLimit int
	}{
		{"flags first", []string{"--limit", "3", "a", "b"}, []string{"a", "b"}, 3},
		{"flags last", []string{"a", "b", "--limit=4"}, []string{"a", "b"}, 4},
		{"flags between", []string{"a", "-limit", "5", "b"}, []string{"a", "b"}, 5},
		{"after terminator", []string{"a", "--", "--limit", "6"}, []string{"a", "--limit", "6"}, 0},
		{"no arguments", nil, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			limit := fs.Int("limit", 0, "")

			args, err := parseInterspersed(fs, tt.args)

			require.NoError(t, err)
			assert.Equal(t, tt.wantArgs, args)
			assert.Equal(t, tt.wantLimit, *limit)
		})
	}
}

func TestGlobalFlagsAfterVerbWin(t *testing.T) {
	a := &app{}
	fs := flag.NewFlagSet("root", flag.ContinueOnError)
	a.defineGlobalFlags(fs)
	require.NoError(t, fs.Parse([]string{"--output", "table", "--org", "https://a.okta.com"}))

	leaf := flag.NewFlagSet("leaf", flag.ContinueOnError)
	a.defineGlobalFlags(leaf)
	require.NoError(t, leaf.Parse([]string{"--output", "json"}))

	assert.Equal(t, "json", a.output)
	assert.Equal(t, "https://a.okta.com", a.org, "a flag not repeated keeps the value given before the group")
}

func TestDefaultFormatFollowsTerminal(t *testing.T) {
	assert.Equal(t, "table", (&app{stdoutTerminal: true}).format())
	assert.Equal(t, "json", (&app{stdoutTerminal: false}).format())
	assert.Equal(t, "json", (&app{stdoutTerminal: true, output: "json"}).format())
	assert.Equal(t, "table", (&app{output: "table"}).format())
}

func TestRunWithBuffersIsNotTerminal(t *testing.T) {
	assert.False(t, isTerminal(&bytes.Buffer{}))
}

func TestCancelledContextStopsCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var stdout, stderr bytes.Buffer
	env := map[string]string{envOrgURL: "http://127.0.0.1:1", envToken: "00abc"}

	code := run(ctx, []string{"settings", "get", "P"}, strings.NewReader(""), &stdout, &stderr, func(k string) string { return env[k] })

	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr.String(), "context canceled")
	assert.Equal(t, 1, strings.Count(stderr.String(), "\n"))
}
