package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
)

func TestServeFakeRejectsNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:8080", ":8080", "192.0.2.10:8080", "[::]:8080", "example.com:80", "127.0.0.1"} {
		t.Run(addr, func(t *testing.T) {
			res := runCLI(t, nil, "", "serve-fake", "--addr", addr)

			assert.Equal(t, exitUsage, res.code)
			assert.Empty(t, res.stdout)
			assert.Contains(t, res.stderr, addr)
		})
	}

	res := runCLI(t, nil, "", "serve-fake", "--addr", "0.0.0.0:8080")
	assert.Contains(t, res.stderr, "not a loopback address: the fake org serves plain HTTP without TLS")
}

func TestCheckLoopbackAddr(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "127.0.0.2:8080", "[::1]:8080", "localhost:8080", "LOCALHOST:1"} {
		assert.NoError(t, checkLoopbackAddr(addr), addr)
	}
}

func TestShellQuote(t *testing.T) {
	assert.Equal(t, "http://127.0.0.1:8080", shellQuote("http://127.0.0.1:8080"))
	assert.Equal(t, "'a b'", shellQuote("a b"))
	assert.Equal(t, `'it'\''s'`, shellQuote("it's"))
	assert.Equal(t, "''", shellQuote(""))
	assert.Equal(t, "'$HOME'", shellQuote("$HOME"))
}

// buildBinary builds the command into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "agentpools")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// fakeInfo is what serve-fake printed about itself.
type fakeInfo struct {
	url      string
	keyPath  string
	tokenEnv []string // the export lines for the API token, as NAME=VALUE
	oauthEnv []string // the export lines for OAuth 2.0
}

// readFakeInfo reads the output of serve-fake up to its last line. It runs
// in its own goroutine, so it returns an error instead of failing the test.
func readFakeInfo(r io.Reader) (fakeInfo, error) {
	var info fakeInfo
	section := &info.tokenEnv

	scanner := bufio.NewScanner(r)
	for scanner.Scan() {
		line := scanner.Text()
		switch {
		case strings.HasPrefix(line, "Fake Okta org with sample data at "):
			info.url = strings.TrimPrefix(line, "Fake Okta org with sample data at ")
		case strings.HasPrefix(line, "To use OAuth 2.0"):
			section = &info.oauthEnv
		case strings.HasPrefix(line, "export "):
			kv, err := parseExport(strings.TrimPrefix(line, "export "))
			if err != nil {
				return info, err
			}
			*section = append(*section, kv)
		case strings.HasPrefix(line, "Serving until interrupted"):
			return info, nil
		}
	}
	if err := scanner.Err(); err != nil {
		return info, fmt.Errorf("reading the serve-fake output: %w", err)
	}
	return info, errors.New("serve-fake ended its output early")
}

// parseExport turns NAME=VALUE, with VALUE as shellQuote writes it, into
// an environment entry.
func parseExport(assignment string) (string, error) {
	name, value, ok := strings.Cut(assignment, "=")
	if !ok {
		return "", fmt.Errorf("export line without '=': %q", assignment)
	}
	if strings.HasPrefix(value, "'") {
		if len(value) < 2 || !strings.HasSuffix(value, "'") {
			return "", fmt.Errorf("unterminated quote in %q", assignment)
		}
		value = strings.ReplaceAll(value[1:len(value)-1], `'\''`, "'")
	}
	return name + "=" + value, nil
}

// environWithout returns the environment of the test without OKTA_*
// variables, plus extra.
func environWithout(extra []string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OKTA_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// runBinary runs the command as a subprocess and returns its exit status
// and output.
func runBinary(t *testing.T, bin string, env []string, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = environWithout(env)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr

	err := cmd.Run()
	code := 0
	if exitErr, ok := errors.AsType[*exec.ExitError](err); ok {
		code = exitErr.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func TestServeFakeSubprocess(t *testing.T) {
	bin := buildBinary(t)

	server := exec.Command(bin, "serve-fake", "--addr", "127.0.0.1:0")
	server.Env = environWithout(nil)
	stdout, err := server.StdoutPipe()
	require.NoError(t, err)
	serverLog := &lockedBuffer{}
	server.Stderr = serverLog
	require.NoError(t, server.Start())
	exited := make(chan error, 1)
	go func() { exited <- server.Wait() }()
	t.Cleanup(func() {
		if server.ProcessState == nil {
			_ = server.Process.Kill()
		}
	})

	type outcome struct {
		info fakeInfo
		err  error
	}
	printed := make(chan outcome, 1)
	go func() {
		info, err := readFakeInfo(stdout)
		printed <- outcome{info, err}
	}()
	var info fakeInfo
	select {
	case o := <-printed:
		require.NoError(t, o.err, "log: %s", serverLog.String())
		info = o.info
	case <-time.After(20 * time.Second):
		t.Fatalf("serve-fake printed no URL within 20 s; log: %s", serverLog.String())
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()

	assert.Regexp(t, `^http://127\.0\.0\.1:[1-9]\d*$`, info.url)
	assert.Contains(t, info.tokenEnv, envOrgURL+"="+info.url)
	assert.Contains(t, info.oauthEnv, envAuthorizationMode+"=PrivateKey")
	for _, kv := range info.oauthEnv {
		if path, ok := strings.CutPrefix(kv, envPrivateKey+"="); ok {
			info.keyPath = path
		}
	}
	require.NotEmpty(t, info.keyPath)
	keyFile, err := os.Stat(info.keyPath)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), keyFile.Mode().Perm())

	// With the API token: list every pool.
	res := runBinary(t, bin, info.tokenEnv, "", "pools", "list", "--limit-per-type", "2")
	require.Equal(t, exitOK, res.code, res.stderr)
	var pools []api.AgentPool
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &pools), "stdout is not a terminal, so the output is JSON")
	require.Len(t, pools, 15)
	pool := *pools[0].Id

	// With OAuth 2.0 and the private key: read and change the settings, and
	// create an update from standard input.
	res = runBinary(t, bin, info.oauthEnv, "", "settings", "get", pool, "--output", "table")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Regexp(t, `(?m)^releaseChannel\s+GA$`, res.stdout)

	res = runBinary(t, bin, info.oauthEnv, `{"agentType": "AD", "releaseChannel": "BETA"}`, "settings", "update", pool, "--body", "-")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, `"releaseChannel": "BETA"`)

	res = runBinary(t, bin, info.oauthEnv, `{"name": "From a subprocess", "schedule": {"cron": "0 8 ? * 6#3", "timezone": "America/New_York"}}`,
		"updates", "create", pool, "--body", "-")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, `"status": "Scheduled"`)

	// An API error is one line on standard error.
	res = runBinary(t, bin, info.tokenEnv, "", "updates", "get", pool, "missing")
	assert.Equal(t, exitError, res.code)
	assert.Regexp(t, regexp.MustCompile(`^agentpools: HTTP 404 E0000007: .+ \(request id \S+\)\n$`), res.stderr)

	// SIGINT stops it cleanly, and the key file goes with it.
	require.NoError(t, server.Process.Signal(os.Interrupt))
	select {
	case err := <-exited:
		assert.NoError(t, err, "serve-fake exits with status 0 on SIGINT; log: %s", serverLog.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve-fake did not stop within 10 s of SIGINT")
	}
	_, err = os.Stat(filepath.Dir(info.keyPath))
	assert.True(t, os.IsNotExist(err), "the key directory is removed: %v", err)
	assert.Contains(t, serverLog.String(), "stopping the fake Okta org")
}

// lockedBuffer is a bytes.Buffer that a subprocess can write while the test
// reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
