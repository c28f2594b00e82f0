package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
)

func TestDecodeBodyKeepsUnknownMembers(t *testing.T) {
	body := `{"name": "Third Saturday", "agentType": "AD", "rolloutWave": {"size": 3},
	 "schedule": {"cron": "0 8 ? * 6#3", "timezone": "America/New_York", "window": "night"}}`

	var update api.AgentPoolUpdate
	require.NoError(t, decodeBody([]byte(body), &update))

	require.NotNil(t, update.Name)
	assert.Equal(t, "Third Saturday", *update.Name)
	assert.JSONEq(t, `{"size": 3}`, string(update.AdditionalProperties["rolloutWave"]))
	require.NotNil(t, update.Schedule)
	assert.JSONEq(t, `"night"`, string(update.Schedule.AdditionalProperties["window"]))
	encoded, err := json.Marshal(update)
	require.NoError(t, err)
	assert.JSONEq(t, body, string(encoded))
}

func TestDecodeBodyErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"syntax error", "{\n  \"name\": \"x\",\n  \"enabled\": tru\n}", ":3:17: invalid JSON: invalid character"},
		{"trailing comma", "{\"name\": \"x\",}", ":1:14: invalid JSON: invalid character '}'"},
		{"truncated", "{\"name\": ", "invalid JSON: unexpected end of JSON input"},
		{"empty", " \n", ": the body is empty"},
		{"array", "\n [1]", ":2:2: the body must be a JSON object, not an array"},
		{"null", "null", ":1:1: the body must be a JSON object, not null"},
		{"wrong type", "{\n  \"enabled\": \"yes\"\n}", `:2:14: invalid value of member "/enabled": got a JSON string, expected a boolean`},
		{"wrong nested type", "{\"name\": \"x\",\n \"schedule\": {\"delay\": \"3\"}}", `:2:24: invalid value of member "/schedule/delay": got a JSON string, expected an integer`},
		{"wrong type in array", "{\"agents\": [{\"name\": \"a\"}, {\"isHidden\": 1}]}", `:1:41: invalid value of member "/agents/1/isHidden": got a JSON number, expected a boolean`},
		{"wrong type after space", "\n\n  {\"schedule\": 5}", `:3:16: invalid value of member "/schedule": got a JSON number, expected an object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var update api.AgentPoolUpdate
			err := decodeBody([]byte(tt.body), &update)

			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestPosition(t *testing.T) {
	data := []byte("ab\ncd\n\nef")
	tests := []struct {
		offset       int
		line, column int
	}{
		{0, 1, 1},
		{1, 1, 2},
		{3, 2, 1},
		{4, 2, 2},
		{7, 4, 1},
		{100, 4, 3},
		{-5, 1, 1},
	}
	for _, tt := range tests {
		line, column := position(data, tt.offset)
		assert.Equal(t, tt.line, line, "line of offset %d", tt.offset)
		assert.Equal(t, tt.column, column, "column of offset %d", tt.offset)
	}
}

func TestInvalidBodyFileExitsTwo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "update.json")
	require.NoError(t, os.WriteFile(path, []byte("{\n  \"name\": \"x\"\n  \"enabled\": true\n}\n"), 0o600))
	env := map[string]string{envOrgURL: "http://127.0.0.1:1", envToken: "00secret"}

	res := runCLI(t, env, "", "updates", "create", "P", "--body", path)

	assert.Equal(t, exitUsage, res.code)
	assert.Empty(t, res.stdout)
	assert.Contains(t, res.stderr, "agentpools: --body: "+path+":3:3: invalid JSON: invalid character '\"' after object key:value pair")
}

func TestInvalidBodyFromStdinExitsTwo(t *testing.T) {
	env := map[string]string{envOrgURL: "http://127.0.0.1:1", envToken: "00secret"}

	res := runCLI(t, env, `{"agentType": "AD", "releaseChannel": }`, "settings", "update", "P", "--body", "-")

	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "agentpools: --body: <stdin>:1:39: invalid JSON")
}

func TestSettingsBodyNeedsAgentType(t *testing.T) {
	env := map[string]string{envOrgURL: "http://127.0.0.1:1", envToken: "00secret"}

	res := runCLI(t, env, `{"releaseChannel": "EA"}`, "settings", "update", "P", "--body", "-")

	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "agentpools: --body: missing member agentType")
}

// blockingReader is standard input that never has data: Read blocks until
// release is closed.
type blockingReader struct{ release chan struct{} }

func (r blockingReader) Read([]byte) (int, error) {
	<-r.release
	return 0, io.EOF
}

func TestBodyFromStdinStopsOnCancel(t *testing.T) {
	stdin := blockingReader{release: make(chan struct{})}
	t.Cleanup(func() { close(stdin.release) })
	ctx, cancel := context.WithCancel(t.Context())
	env := map[string]string{envOrgURL: "http://127.0.0.1:1", envToken: "00secret"}
	var stdout, stderr bytes.Buffer

	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"updates", "create", "P", "--body", "-"}, stdin, &stdout, &stderr, getenvFrom(env))
	}()
	cancel()

	select {
	case code := <-done:
		assert.Equal(t, exitError, code)
		assert.Equal(t, "agentpools: interrupted while reading --body from <stdin>\n", stderr.String())
		assert.Empty(t, stdout.String())
	case <-time.After(10 * time.Second):
		t.Fatal("the command still waits for standard input after its context was cancelled")
	}
}

// countingReader is a stream of spaces, size bytes long, that counts the
// bytes read.
type countingReader struct{ size, read int }

func (r *countingReader) Read(p []byte) (int, error) {
	if r.read == r.size {
		return 0, io.EOF
	}
	n := min(len(p), r.size-r.read)
	for i := range n {
		p[i] = ' '
	}
	r.read += n
	return n, nil
}

func TestBodyOverLimitExitsTwo(t *testing.T) {
	env := map[string]string{envOrgURL: "http://127.0.0.1:1", envToken: "00secret"}

	t.Run("file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "update.json")
		require.NoError(t, os.WriteFile(path, bytes.Repeat([]byte(" "), maxBodyBytes+1), 0o600))

		res := runCLI(t, env, "", "updates", "create", "P", "--body", path)

		assert.Equal(t, exitUsage, res.code)
		assert.Contains(t, res.stderr, "agentpools: --body: "+path+" is larger than the limit of 1 MiB (1048576 bytes)")
		assert.Contains(t, res.stderr, "Run 'agentpools updates create --help' for usage.")
	})

	t.Run("large stdin", func(t *testing.T) {
		stdin := &countingReader{size: 8 * maxBodyBytes}
		var stdout, stderr bytes.Buffer

		code := run(t.Context(), []string{"settings", "update", "P", "--body", "-"}, stdin, &stdout, &stderr, getenvFrom(env))

		assert.Equal(t, exitUsage, code)
		assert.Contains(t, stderr.String(), "agentpools: --body: <stdin> is larger than the limit of 1 MiB")
		assert.Equal(t, maxBodyBytes+1, stdin.read, "reading stops one byte after the limit")
	})
}

func TestBodyAtLimitIsRead(t *testing.T) {
	prefix, suffix := `{"agentType": "AD", "padding": "`, `"}`
	body := prefix + strings.Repeat("x", maxBodyBytes-len(prefix)-len(suffix)) + suffix
	require.Len(t, body, maxBodyBytes)
	a := &app{stdin: strings.NewReader(body)}

	var request api.AgentPoolUpdateSettingRequest
	err := a.readBody(t.Context(), "settings update", "-", &request)

	require.NoError(t, err)
	assert.Equal(t, api.AgentType("AD"), request.AgentType)
}

func TestBodyFlagHelpStatesLimit(t *testing.T) {
	for _, args := range [][]string{{"updates", "create", "--help"}, {"updates", "update", "--help"}, {"settings", "update", "--help"}} {
		res := runCLI(t, nil, "", args...)

		assert.Equal(t, exitOK, res.code)
		assert.Contains(t, res.stdout, "at most 1 MiB", args)
	}
}
