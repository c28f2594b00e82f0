package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/auth"
	"github.com/seed570a29ac/agentpools/oktatest"
)

// startServeFake runs "agentpools serve-fake" in-process on a free loopback
// port and returns what it printed. The fake stops, and the test checks
// that it exited with status 0, when the test ends.
func startServeFake(t *testing.T) fakeInfo {
	t.Helper()

	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr lockedBuffer
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"serve-fake", "--addr", "127.0.0.1:0"}, strings.NewReader(""), &stdout, &stderr, func(string) string { return "" })
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-exited:
			assert.Equal(t, exitOK, code, "serve-fake exit status; stderr: %s", stderr.String())
		case <-time.After(10 * time.Second):
			t.Error("serve-fake did not stop within 10 s of its context ending")
		}
	})

	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(stdout.String(), "Serving until interrupted") {
		select {
		case code := <-exited:
			t.Fatalf("serve-fake exited with status %d; stderr: %s", code, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		require.True(t, time.Now().Before(deadline), "serve-fake printed no URL within 20 s; stderr: %s", stderr.String())
	}

	info, err := readFakeInfo(strings.NewReader(stdout.String()))
	require.NoError(t, err)
	require.NotEmpty(t, info.url)
	return info
}

// envMap turns NAME=VALUE lines into the environment that runCLI takes.
func envMap(lines []string) map[string]string {
	env := map[string]string{}
	for _, kv := range lines {
		name, value, _ := strings.Cut(kv, "=")
		env[name] = value
	}
	return env
}

// rawAPI reads the fake org's state straight from its HTTP API, without the
// client library, so that the command's output is compared to what the
// server sent.
type rawAPI struct {
	url   string
	token string
}

// get returns the status, body and Link headers of GET path.
func (r rawAPI) get(t *testing.T, path string) (int, []byte, []string) {
	t.Helper()

	target := path
	if !strings.HasPrefix(path, "http") {
		target = r.url + path
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, target, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "SSWS "+r.token)
	req.Header.Set("Accept", "application/json")

	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, body, resp.Header.Values("Link")
}

// object returns the decoded JSON of GET path, which must return 200.
func (r rawAPI) object(t *testing.T, path string) any {
	t.Helper()
	status, body, _ := r.get(t, path)
	require.Equal(t, http.StatusOK, status, "GET %s: %s", path, body)
	return decodeJSON(t, body)
}

var nextLink = regexp.MustCompile(`<([^>]+)>\s*;\s*rel="next"`)

// allPools returns every pool of the listing that starts at path, following
// the rel="next" links, as one JSON array.
func (r rawAPI) allPools(t *testing.T, path string) []any {
	t.Helper()

	var all []any
	for path != "" {
		status, body, links := r.get(t, path)
		require.Equal(t, http.StatusOK, status, "GET %s: %s", path, body)
		page, ok := decodeJSON(t, body).([]any)
		require.True(t, ok, "a page is an array: %s", body)
		all = append(all, page...)

		path = ""
		for _, link := range links {
			if m := nextLink.FindStringSubmatch(link); m != nil {
				path = m[1]
			}
		}
	}
	return all
}

func decodeJSON(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(data, &v), "invalid JSON: %s", data)
	return v
}

// field returns member name of a decoded JSON object.
func field(t *testing.T, object any, name string) any {
	t.Helper()
	m, ok := object.(map[string]any)
	require.True(t, ok, "want a JSON object; got %T", object)
	return m[name]
}

// findByName returns the object of array whose "name" member is name.
func findByName(t *testing.T, array []any, name string) any {
	t.Helper()
	for _, element := range array {
		if field(t, element, "name") == name {
			return element
		}
	}
	t.Fatalf("no object named %q", name)
	return nil
}

// TestEveryCommandAgainstServeFake runs each API command against the fake
// that serve-fake starts, and compares its JSON output, _links included,
// with what the fake's API returns for the same resource afterwards.
func TestEveryCommandAgainstServeFake(t *testing.T) {
	info := startServeFake(t)
	env := envMap(info.tokenEnv)
	raw := rawAPI{url: info.url, token: env[envToken]}
	require.NotEmpty(t, raw.token)

	// jsonRun runs a command with --output json and requires exit status 0
	// and an empty standard error.
	jsonRun := func(t *testing.T, stdin string, args ...string) any {
		t.Helper()
		res := runCLI(t, env, stdin, append(args, "--output", "json")...)
		require.Equal(t, exitOK, res.code, "%v: %s", args, res.stderr)
		assert.Empty(t, res.stderr, "%v", args)
		return decodeJSON(t, []byte(res.stdout))
	}

	// pools list: every page, as one array.
	pools := jsonRun(t, "", "pools", "list", "--limit-per-type", "2")
	wantPools := raw.allPools(t, "/api/v1/agentPools?limitPerPoolType=2")
	assert.Equal(t, wantPools, pools)
	require.Len(t, wantPools, 15)

	filtered := jsonRun(t, "", "pools", "list", "--type", "LDAP", "--limit-per-type", "1")
	assert.Equal(t, raw.allPools(t, "/api/v1/agentPools?poolType=LDAP&limitPerPoolType=1"), filtered)

	adPool := field(t, findByName(t, wantPools, samplePoolAD), "id").(string)
	failedPool := field(t, findByName(t, wantPools, samplePoolFailed), "id").(string)
	updatesPath := "/api/v1/agentPools/" + adPool + "/updates"

	// settings get and update.
	assert.Equal(t, raw.object(t, updatesPath+"/settings"), jsonRun(t, "", "settings", "get", adPool))
	changed := jsonRun(t, `{"agentType": "AD", "releaseChannel": "BETA"}`, "settings", "update", adPool, "--body", "-")
	assert.Equal(t, "BETA", field(t, changed, "releaseChannel"))
	assert.Equal(t, raw.object(t, updatesPath+"/settings"), changed)

	// updates list, with and without the scheduled filter.
	assert.Equal(t, raw.object(t, updatesPath), jsonRun(t, "", "updates", "list", adPool))
	assert.Equal(t, raw.object(t, updatesPath+"?scheduled=true"), jsonRun(t, "", "updates", "list", adPool, "--scheduled", "true"))
	assert.Equal(t, raw.object(t, updatesPath+"?scheduled=false"), jsonRun(t, "", "updates", "list", adPool, "--scheduled", "false"))

	// updates create from a file, get and update.
	body := `{"name": "Audit rollout", "agentType": "AD", "enabled": true,
	 "schedule": {"cron": "0 8 ? * 6#3", "timezone": "America/New_York", "duration": 120}}`
	path := filepath.Join(t.TempDir(), "update.json")
	require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
	created := jsonRun(t, "", "updates", "create", adPool, "--body", path)
	updateID, ok := field(t, created, "id").(string)
	require.True(t, ok, "created update has an id: %v", created)
	updatePath := updatesPath + "/" + updateID
	assert.Equal(t, raw.object(t, updatePath), created)
	assert.Equal(t, "Scheduled", field(t, created, "status"))
	assert.Equal(t, raw.object(t, updatePath), jsonRun(t, "", "updates", "get", adPool, updateID))

	edited := jsonRun(t, `{"name": "Audit rollout, renamed"}`, "updates", "update", adPool, updateID, "--body", "-")
	assert.Equal(t, "Audit rollout, renamed", field(t, edited, "name"))
	assert.Equal(t, raw.object(t, updatePath), edited)

	// Every lifecycle verb, each compared to the stored update.
	steps := []struct {
		verb    string
		status  string
		enabled bool
	}{
		{"deactivate", "Scheduled", false},
		{"activate", "Scheduled", true},
		{"pause", "Paused", true},
		{"resume", "InProgress", true},
		{"stop", "Cancelled", true},
	}
	for _, step := range steps {
		got := jsonRun(t, "", "updates", step.verb, adPool, updateID)
		assert.Equal(t, step.status, field(t, got, "status"), step.verb)
		assert.Equal(t, step.enabled, field(t, got, "enabled"), step.verb)
		assert.Equal(t, raw.object(t, updatePath), got, step.verb)
	}

	// retry needs a failed update, which the sample data has.
	failedUpdates, ok := raw.object(t, "/api/v1/agentPools/"+failedPool+"/updates").([]any)
	require.True(t, ok)
	require.NotEmpty(t, failedUpdates)
	failedID := field(t, failedUpdates[0], "id").(string)
	require.Equal(t, "Failed", field(t, failedUpdates[0], "status"))
	retried := jsonRun(t, "", "updates", "retry", failedPool, failedID)
	assert.Equal(t, "InProgress", field(t, retried, "status"))
	assert.Equal(t, raw.object(t, "/api/v1/agentPools/"+failedPool+"/updates/"+failedID), retried)

	// updates delete prints nothing with JSON, and the update is gone.
	res := runCLI(t, env, "", "updates", "delete", adPool, updateID, "--output", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Empty(t, res.stdout)
	status, _, _ := raw.get(t, updatePath)
	assert.Equal(t, http.StatusNotFound, status)
}

func TestServeFakeOAuthCredentialsWork(t *testing.T) {
	info := startServeFake(t)
	env := envMap(info.oauthEnv)
	require.Equal(t, "PrivateKey", env[envAuthorizationMode])

	res := runCLI(t, env, "", "pools", "list", "--output", "json")

	require.Equal(t, exitOK, res.code, res.stderr)
	var pools []any
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &pools))
	assert.Len(t, pools, 15)
}

func TestOrgFlagWinsOverEnvironment(t *testing.T) {
	srv, env := newFake(t)
	pool := poolID(t, srv, samplePoolAD)
	// Nothing listens on port 1 of the loopback address.
	const unreachable = "http://127.0.0.1:1"

	t.Run("flag reaches the fake", func(t *testing.T) {
		env := map[string]string{envOrgURL: unreachable, envToken: env[envToken]}

		res := runCLI(t, env, "", "--org", srv.URL, "settings", "get", pool, "--output", "json")

		require.Equal(t, exitOK, res.code, res.stderr)
		assert.Contains(t, res.stdout, `"poolId": "`+pool+`"`)
	})

	t.Run("flag leaves the fake", func(t *testing.T) {
		before := len(srv.Requests())

		res := runCLI(t, env, "", "settings", "get", pool, "--org", unreachable)

		assert.Equal(t, exitError, res.code)
		assert.Contains(t, res.stderr, "127.0.0.1:1")
		assert.Equal(t, 1, strings.Count(res.stderr, "\n"), res.stderr)
		assert.Len(t, srv.Requests(), before, "no request reached the fake")
	})
}

func TestClientSecretFromEnvironment(t *testing.T) {
	srv, _ := newFake(t)
	pool := poolID(t, srv, samplePoolAD)
	require.NoError(t, srv.RegisterClient(oktatest.OAuthClient{
		ClientID: "0oaAuditSecretClient",
		Secret:   "audit-client-secret-value",
		Scopes:   []string{auth.ScopeRead, auth.ScopeManage},
	}))
	env := map[string]string{
		envOrgURL:            srv.URL,
		envAuthorizationMode: "ClientSecret",
		envClientID:          "0oaAuditSecretClient",
		envClientSecret:      "audit-client-secret-value",
		envScopes:            auth.ScopeRead,
	}

	res := runCLI(t, env, "", "settings", "get", pool, "--output", "json")

	require.Equal(t, exitOK, res.code, res.stderr)
	log := srv.TokenRequestLog()
	require.Len(t, log, 1)
	assert.Equal(t, "0oaAuditSecretClient", log[0].ClientID)
	assert.True(t, strings.HasPrefix(log[0].AuthMethod, "client_secret_"), log[0].AuthMethod)
	assert.Equal(t, []string{auth.ScopeRead}, log[0].Scopes, "OKTA_CLIENT_SCOPES is requested")
	assert.False(t, log[0].DPoP)
}

func TestPrivateKeyWithDPoPFromEnvironment(t *testing.T) {
	srv, _ := newFake(t)
	pool := poolID(t, srv, samplePoolAD)
	key, err := oktatest.GenerateClientKey()
	require.NoError(t, err)
	require.NoError(t, srv.RegisterClient(oktatest.OAuthClient{
		ClientID:    "0oaAuditDPoPClient",
		Keys:        []jose.JSONWebKey{key.PublicJWK},
		Scopes:      []string{auth.ScopeRead, auth.ScopeManage},
		RequireDPoP: true,
	}))
	env := map[string]string{
		envOrgURL:            srv.URL,
		envAuthorizationMode: "PrivateKey",
		envClientID:          "0oaAuditDPoPClient",
		envPrivateKey:        string(key.PEM),
		envPrivateKeyID:      key.PublicJWK.KeyID,
		envScopes:            "okta.agentPools.read okta.agentPools.manage",
		envDPoP:              "true",
	}

	res := runCLI(t, env, "", "settings", "get", pool, "--output", "json")

	require.Equal(t, exitOK, res.code, res.stderr)
	log := srv.TokenRequestLog()
	require.NotEmpty(t, log)
	last := log[len(log)-1]
	assert.Equal(t, "private_key_jwt", last.AuthMethod)
	assert.True(t, last.DPoP, "the token request carries a DPoP proof")
	requests := srv.Requests()
	require.NotEmpty(t, requests)
	scheme, _, _ := strings.Cut(requests[len(requests)-1].Header.Get("Authorization"), " ")
	assert.Equal(t, "DPoP", scheme)
}

// TestHelpOfEveryCommandHasExample runs each command with --help, as
// a user would, and checks that the help shows the command's usage and its
// example.
func TestHelpOfEveryCommandHasExample(t *testing.T) {
	var commands []*command
	for _, g := range groups {
		if g.cmd != nil {
			commands = append(commands, g.cmd)
			continue
		}
		commands = append(commands, g.verbs...)

		res := runCLI(t, nil, "", g.name, "--help")
		assert.Equal(t, exitOK, res.code, g.name)
		assert.Contains(t, res.stdout, "agentpools "+g.verbs[0].path, g.name)
	}
	require.Len(t, commands, 16, "pools list, 11 updates verbs, 2 settings verbs, demo and serve-fake")

	for _, c := range commands {
		t.Run(c.path, func(t *testing.T) {
			res := runCLI(t, nil, "", append(strings.Fields(c.path), "--help")...)

			require.Equal(t, exitOK, res.code, res.stderr)
			assert.Empty(t, res.stderr)
			assert.True(t, strings.HasPrefix(res.stdout, "Usage: agentpools "+c.path), res.stdout)
			example := strings.TrimSpace(c.example)
			require.NotEmpty(t, example)
			_, afterHeading, found := strings.Cut(res.stdout, "\nExample:\n")
			require.True(t, found, "no Example section: %s", res.stdout)
			firstLine, _, _ := strings.Cut(example, "\n")
			assert.Contains(t, afterHeading, firstLine)
		})
	}
}

func TestIsTerminalOnFiles(t *testing.T) {
	device, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	require.NoError(t, err)
	defer device.Close()
	assert.True(t, isTerminal(device), "a character device is treated as a terminal")

	reader, writer, err := os.Pipe()
	require.NoError(t, err)
	defer reader.Close()
	defer writer.Close()
	assert.False(t, isTerminal(writer), "a pipe is not a terminal")

	regular, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
	require.NoError(t, err)
	defer regular.Close()
	assert.False(t, isTerminal(regular), "a regular file is not a terminal")
}

// TestRunPicksJSONForPipe runs the command with standard output on a pipe,
// as a script would, and checks that the default format is JSON.
func TestRunPicksJSONForPipe(t *testing.T) {
	srv, env := newFake(t)
	pool := poolID(t, srv, samplePoolAD)
	reader, writer, err := os.Pipe()
	require.NoError(t, err)
	defer reader.Close()

	var stderr lockedBuffer
	code := run(t.Context(), []string{"settings", "get", pool}, strings.NewReader(""), writer, &stderr, getenvFrom(env))
	require.NoError(t, writer.Close())
	out, err := io.ReadAll(reader)
	require.NoError(t, err)

	require.Equal(t, exitOK, code, stderr.String())
	assert.True(t, json.Valid(out), "output to a pipe is JSON: %s", out)
}

func TestExitStatusesOneLine(t *testing.T) {
	srv, env := newFake(t, oktatest.WithReadOnlyAPIToken("00audit-read-only"))
	pool := poolID(t, srv, samplePoolAD)
	readOnly := map[string]string{envOrgURL: env[envOrgURL], envToken: "00audit-read-only"}

	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		prefix string
	}{
		{"404", env, []string{"updates", "stop", pool, "0oaAuditMissing00000"}, exitError, "agentpools: HTTP 404 E0000007: "},
		{"403", readOnly, []string{"updates", "pause", pool, "0oaAuditMissing00000"}, exitError, "agentpools: HTTP 403 E0000006: "},
		{"usage", env, []string{"updates", "pause", pool}, exitUsage, "agentpools: missing UPDATE_ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, tt.env, "", tt.args...)

			assert.Equal(t, tt.code, res.code)
			assert.Empty(t, res.stdout)
			assert.True(t, strings.HasPrefix(res.stderr, tt.prefix), res.stderr)
			if tt.code == exitError {
				assert.Equal(t, 1, strings.Count(res.stderr, "\n"), "one line: %q", res.stderr)
				assert.Regexp(t, `\(request id \S+\)\n$`, res.stderr)
			}
		})
	}
}

func TestPoolsListTypeAnyCase(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	env := map[string]string{"OKTA_CLIENT_ORGURL": srv.URL, "OKTA_CLIENT_TOKEN": srv.APIToken()}

	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--output", "json", "pools", "list", "--type", "radius"},
		strings.NewReader(""), &stdout, &stderr, func(k string) string { return env[k] })
	require.Equal(t, 0, code, "stderr: %s", stderr.String())

	var pools []api.AgentPool
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &pools))
	require.NotEmpty(t, pools)
	for _, p := range pools {
		assert.Equal(t, api.Radius, *p.Type)
	}
}
