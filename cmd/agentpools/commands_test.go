package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/oktatest"
)

// Sample pools of oktatest.SeedSample, whose IDs are the same in every run.
const (
	samplePoolAD     = "corp.example.com"          // AD, two updates, one scheduled
	samplePoolFailed = "ldap.partners.example.com" // LDAP, one Failed update
)

// newFake starts a fake org with the sample data and returns it with the
// environment that points the command at it with its API token.
func newFake(t *testing.T, opts ...oktatest.Option) (*oktatest.Server, map[string]string) {
	t.Helper()
	srv := oktatest.New(t, append([]oktatest.Option{oktatest.WithSampleData()}, opts...)...)
	env := map[string]string{envOrgURL: srv.URL, envToken: srv.APIToken()}
	return srv, env
}

// poolID returns the ID of the sample pool with the given name.
func poolID(t *testing.T, srv *oktatest.Server, name string) string {
	t.Helper()
	for _, p := range srv.Pools() {
		if p.Name != nil && *p.Name == name {
			return *p.Id
		}
	}
	t.Fatalf("no pool named %q in the fake org", name)
	return ""
}

// withoutLinks decodes JSON and drops every "_links" member, which the
// server adds to responses but not to its stored state.
func withoutLinks(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(data, &v), "output: %s", data)
	return dropLinks(v)
}

func dropLinks(v any) any {
	switch v := v.(type) {
	case map[string]any:
		delete(v, "_links")
		for k, member := range v {
			v[k] = dropLinks(member)
		}
	case []any:
		for i, element := range v {
			v[i] = dropLinks(element)
		}
	}
	return v
}

// byID returns the objects of a JSON array keyed by their "id" member.
func byID(t *testing.T, array any) map[string]any {
	t.Helper()
	elements, ok := array.([]any)
	require.True(t, ok, "want a JSON array; got %T", array)
	out := map[string]any{}
	for _, element := range elements {
		object, ok := element.(map[string]any)
		require.True(t, ok, "want an object; got %T", element)
		out[object["id"].(string)] = object
	}
	return out
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return data
}

func TestPoolsListJSONMatchesFake(t *testing.T) {
	srv, env := newFake(t)

	res := runCLI(t, env, "", "pools", "list", "--output", "json", "--limit-per-type", "2")

	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Empty(t, res.stderr)
	got := byID(t, withoutLinks(t, []byte(res.stdout)))
	want := byID(t, withoutLinks(t, mustJSON(t, srv.Pools())))
	assert.Len(t, got, 15)
	assert.Equal(t, want, got)
	pages := 0
	for _, r := range srv.Requests() {
		if r.OperationID == "listAgentPools" {
			pages++
		}
	}
	assert.Equal(t, 3, pages, "five AD pools at two per page take three pages")
}

func TestPoolsListTypeFilter(t *testing.T) {
	_, env := newFake(t)

	res := runCLI(t, env, "", "--output", "json", "pools", "list", "--type", "LDAP")

	require.Equal(t, exitOK, res.code, res.stderr)
	var pools []api.AgentPool
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &pools))
	require.Len(t, pools, 3)
	for _, p := range pools {
		assert.Equal(t, api.LDAP, *p.Type)
	}
}

func TestPoolsListMaxPagesAndResume(t *testing.T) {
	srv, env := newFake(t)

	first := runCLI(t, env, "", "pools", "list", "--output", "json", "--limit-per-type", "2", "--max-pages", "1")
	require.Equal(t, exitOK, first.code, first.stderr)
	require.True(t, strings.HasPrefix(first.stderr, "next cursor: "), first.stderr)
	assert.Equal(t, 1, strings.Count(first.stderr, "\n"))
	cursor := strings.TrimSpace(strings.TrimPrefix(first.stderr, "next cursor: "))
	require.NotEmpty(t, cursor)

	rest := runCLI(t, env, "", "pools", "list", "--output", "json", "--limit-per-type", "2", "--after", cursor)
	require.Equal(t, exitOK, rest.code, rest.stderr)
	assert.Empty(t, rest.stderr, "a listing that reaches the end prints no cursor")

	firstPools := byID(t, withoutLinks(t, []byte(first.stdout)))
	restPools := byID(t, withoutLinks(t, []byte(rest.stdout)))
	assert.NotEmpty(t, firstPools)
	assert.NotEmpty(t, restPools)
	for id := range firstPools {
		assert.NotContains(t, restPools, id, "a resumed listing does not repeat the first page")
	}
	all := byID(t, withoutLinks(t, mustJSON(t, srv.Pools())))
	assert.Len(t, all, len(firstPools)+len(restPools))
}

func TestPoolsListTableAndProgress(t *testing.T) {
	_, env := newFake(t)
	var stdout, stderr bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: getenvFrom(env), stdoutTerminal: true, stderrTerminal: true}

	code := a.main(t.Context(), []string{"pools", "list", "--limit-per-type", "2"})

	require.Equal(t, exitOK, code, stderr.String())
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	require.Len(t, lines, 16)
	assert.Regexp(t, `^ID\s+NAME\s+TYPE\s+STATUS\s+AGENTS\s+DISRUPTED\s+INACTIVE$`, lines[0])
	assert.Contains(t, stdout.String(), "corp.example.com")
	assert.Contains(t, stderr.String(), "fetched 3 pages, 15 pools")
	assert.True(t, strings.HasSuffix(stderr.String(), "\r\x1b[K"), "the progress line is erased: %q", stderr.String())
}

func TestPoolsListProgressOnlyOnTerminal(t *testing.T) {
	_, env := newFake(t)
	tests := []struct {
		name           string
		stdoutTerminal bool
		stderrTerminal bool
		args           []string
		want           bool
	}{
		{"JSON to a pipe", false, true, []string{"--output", "json"}, true},
		{"JSON to the terminal", true, true, []string{"--output", "json"}, false},
		{"stderr not a terminal", false, false, []string{"--output", "table"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: getenvFrom(env),
				stdoutTerminal: tt.stdoutTerminal, stderrTerminal: tt.stderrTerminal}

			code := a.main(t.Context(), append([]string{"pools", "list", "--limit-per-type", "2"}, tt.args...))

			require.Equal(t, exitOK, code, stderr.String())
			assert.Equal(t, tt.want, strings.Contains(stderr.String(), "fetched 3 pages"), "stderr: %q", stderr.String())
		})
	}
}

func TestUpdatesListJSONMatchesFake(t *testing.T) {
	srv, env := newFake(t)
	pool := poolID(t, srv, samplePoolAD)

	all := runCLI(t, env, "", "updates", "list", pool, "--output", "json")
	scheduled := runCLI(t, env, "", "updates", "list", "--scheduled", "true", pool, "--output", "json")
	adHoc := runCLI(t, env, "", "updates", "list", pool, "--scheduled=false", "--output", "json")

	require.Equal(t, exitOK, all.code, all.stderr)
	require.Equal(t, exitOK, scheduled.code, scheduled.stderr)
	require.Equal(t, exitOK, adHoc.code, adHoc.stderr)
	want := byID(t, withoutLinks(t, mustJSON(t, srv.Updates(pool))))
	assert.Equal(t, want, byID(t, withoutLinks(t, []byte(all.stdout))))
	assert.Len(t, byID(t, withoutLinks(t, []byte(scheduled.stdout))), 1)
	assert.Len(t, byID(t, withoutLinks(t, []byte(adHoc.stdout))), 1)
}

func TestUpdatesListEmptyIsEmptyArray(t *testing.T) {
	srv, env := newFake(t)
	pool := poolID(t, srv, "rum.web.example.com")

	res := runCLI(t, env, "", "updates", "list", pool, "--output", "json")

	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "[]\n", res.stdout)
}

func TestUpdatesGetJSONMatchesFake(t *testing.T) {
	srv, env := newFake(t)
	pool := poolID(t, srv, samplePoolAD)
	update := srv.Updates(pool)[0]

	res := runCLI(t, env, "", "updates", "get", pool, *update.Id, "--output", "json")

	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, withoutLinks(t, mustJSON(t, update)), withoutLinks(t, []byte(res.stdout)))
}

func TestUpdatesTable(t *testing.T) {
	srv, env := newFake(t)
	pool := poolID(t, srv, samplePoolAD)

	res := runCLI(t, env, "", "updates", "list", pool, "--output", "table")

	require.Equal(t, exitOK, res.code, res.stderr)
	lines := strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n")
	require.Len(t, lines, 3)
	assert.Regexp(t, `^ID\s+NAME\s+STATUS\s+ENABLED\s+TARGET\s+SCHEDULE$`, lines[0])
	assert.Regexp(t, `Monthly AD agent update\s+Scheduled\s+yes\s+3\.20\.0\s+0 8 \? \* 6#3 America/New_York$`, lines[1])
}

func TestSettingsGetJSONMatchesFake(t *testing.T) {
	srv, env := newFake(t)
	pool := poolID(t, srv, samplePoolAD)
	settings, ok := srv.Settings(pool)
	require.True(t, ok)

	res := runCLI(t, env, "", "--output", "json", "settings", "get", pool)

	require.Equal(t, exitOK, res.code, res.stderr)
	assert.JSONEq(t, string(mustJSON(t, settings)), res.stdout)
}

func TestSettingsGetTable(t *testing.T) {
	srv, env := newFake(t)
	pool := poolID(t, srv, samplePoolAD)

	res := runCLI(t, env, "", "settings", "get", pool, "--output", "table")

	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Regexp(t, `(?m)^SETTING\s+VALUE$`, res.stdout)
	assert.Regexp(t, `(?m)^releaseChannel\s+GA$`, res.stdout)
	assert.Regexp(t, `(?m)^poolId\s+`+regexp.QuoteMeta(pool)+`$`, res.stdout)
}

func TestSettingsUpdateFromStdin(t *testing.T) {
	srv, env := newFake(t)
	pool := poolID(t, srv, samplePoolAD)

	res := runCLI(t, env, `{"agentType": "AD", "releaseChannel": "EA", "continueOnError": false}`,
		"settings", "update", pool, "--body", "-", "--output", "json")

	require.Equal(t, exitOK, res.code, res.stderr)
	settings, ok := srv.Settings(pool)
	require.True(t, ok)
	assert.Equal(t, api.EA, *settings.ReleaseChannel)
	assert.False(t, *settings.ContinueOnError)
	assert.JSONEq(t, string(mustJSON(t, settings)), res.stdout)
}

func TestUpdatesUpdateFromFile(t *testing.T) {
	srv, env := newFake(t)
	pool := poolID(t, srv, samplePoolAD)
	update := srv.Updates(pool)[0]
	got := runCLI(t, env, "", "updates", "get", pool, *update.Id, "--output", "json")
	require.Equal(t, exitOK, got.code, got.stderr)

	edited := strings.Replace(got.stdout, `"Monthly AD agent update"`, `"Monthly AD agent update, renamed"`, 1)
	path := filepath.Join(t.TempDir(), "update.json")
	require.NoError(t, os.WriteFile(path, []byte(edited), 0o600))
	res := runCLI(t, env, "", "updates", "update", pool, *update.Id, "--body", path, "--output", "json")

	require.Equal(t, exitOK, res.code, res.stderr)
	stored, ok := srv.Update(pool, *update.Id)
	require.True(t, ok)
	assert.Equal(t, "Monthly AD agent update, renamed", *stored.Name)
	assert.Equal(t, withoutLinks(t, mustJSON(t, stored)), withoutLinks(t, []byte(res.stdout)))
}

func TestUpdatesDeactivateAndRetry(t *testing.T) {
	srv, env := newFake(t)
	adPool := poolID(t, srv, samplePoolAD)
	scheduled := srv.Updates(adPool)[0]
	failedPool := poolID(t, srv, samplePoolFailed)
	failed := srv.Updates(failedPool)[0]
	require.Equal(t, api.AgentUpdateJobStatusFailed, *failed.Status)

	deactivated := runCLI(t, env, "", "updates", "deactivate", adPool, *scheduled.Id, "--output", "json")
	retried := runCLI(t, env, "", "updates", "retry", failedPool, *failed.Id, "--output", "json")

	require.Equal(t, exitOK, deactivated.code, deactivated.stderr)
	require.Equal(t, exitOK, retried.code, retried.stderr)
	stored, _ := srv.Update(adPool, *scheduled.Id)
	assert.False(t, *stored.Enabled)
	stored, _ = srv.Update(failedPool, *failed.Id)
	assert.Equal(t, api.AgentUpdateJobStatusInProgress, *stored.Status)
	assert.Contains(t, retried.stdout, `"status": "InProgress"`)
}

// TestScriptedRollout runs a session as a user would, one command after
// another, and checks each step's exit status, output and the fake's state.
func TestScriptedRollout(t *testing.T) {
	srv, env := newFake(t)

	// List the pools and pick the first AD pool.
	res := runCLI(t, env, "", "pools", "list", "--output", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	var pools []api.AgentPool
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &pools))
	require.Len(t, pools, 15)
	pool := *pools[0].Id
	require.Equal(t, samplePoolAD, *pools[0].Name)
	before := len(srv.Updates(pool))

	// Create a scheduled update from a file.
	body := `{
  "name": "Third Saturday rollout",
  "agentType": "AD",
  "enabled": true,
  "targetVersion": "3.20.0",
  "schedule": {"cron": "0 8 ? * 6#3", "timezone": "America/New_York", "duration": 120}
}`
	path := filepath.Join(t.TempDir(), "update.json")
	require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
	res = runCLI(t, env, "", "updates", "create", pool, "--body", path, "--output", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	var created api.AgentPoolUpdate
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &created))
	require.NotNil(t, created.Id)
	assert.Equal(t, api.AgentUpdateJobStatusScheduled, *created.Status)
	assert.Equal(t, "0 8 ? * 6#3", *created.Schedule.Cron)
	assert.Len(t, srv.Updates(pool), before+1)

	// Walk it through its statuses.
	steps := []struct {
		verb    string
		status  api.AgentUpdateJobStatus
		enabled bool
	}{
		{"activate", api.AgentUpdateJobStatusScheduled, true},
		{"pause", api.AgentUpdateJobStatusPaused, true},
		{"resume", api.AgentUpdateJobStatusInProgress, true},
		{"stop", api.AgentUpdateJobStatusCancelled, true},
	}
	for _, step := range steps {
		res = runCLI(t, env, "", "updates", step.verb, pool, *created.Id, "--output", "json")
		require.Equal(t, exitOK, res.code, "%s: %s", step.verb, res.stderr)
		assert.Empty(t, res.stderr, step.verb)

		var returned api.AgentPoolUpdate
		require.NoError(t, json.Unmarshal([]byte(res.stdout), &returned), step.verb)
		assert.Equal(t, step.status, *returned.Status, step.verb)
		stored, ok := srv.Update(pool, *created.Id)
		require.True(t, ok, step.verb)
		assert.Equal(t, step.status, *stored.Status, step.verb)
		assert.Equal(t, step.enabled, *stored.Enabled, step.verb)
	}

	// Delete it: JSON output prints nothing, a table a confirmation.
	res = runCLI(t, env, "", "updates", "delete", pool, *created.Id, "--output", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Empty(t, res.stdout)
	_, found := srv.Update(pool, *created.Id)
	assert.False(t, found)
	assert.Len(t, srv.Updates(pool), before)

	// A second delete finds nothing.
	res = runCLI(t, env, "", "updates", "delete", pool, *created.Id, "--output", "table")
	assert.Equal(t, exitError, res.code)
	assert.Contains(t, res.stderr, "HTTP 404 E0000007")
}

func TestDeleteTablePrintsConfirmation(t *testing.T) {
	srv, env := newFake(t)
	pool := poolID(t, srv, samplePoolAD)
	update := srv.Updates(pool)[1]

	res := runCLI(t, env, "", "updates", "delete", pool, *update.Id, "--output", "table")

	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "Deleted update "+*update.Id+" of pool "+pool+".\n", res.stdout)
}

// apiErrorLine matches the one line of an API error.
var apiErrorLine = regexp.MustCompile(`^agentpools: HTTP (\d{3}) (E\d{7}): (.+) \(request id ([\w-]+)\)\n$`)

func TestNotFoundIsOneLine(t *testing.T) {
	srv, env := newFake(t)
	pool := poolID(t, srv, samplePoolAD)

	res := runCLI(t, env, "", "updates", "get", pool, "no-such-update")

	assert.Equal(t, exitError, res.code)
	assert.Empty(t, res.stdout)
	m := apiErrorLine.FindStringSubmatch(res.stderr)
	require.NotNil(t, m, "stderr: %q", res.stderr)
	assert.Equal(t, "404", m[1])
	assert.Equal(t, "E0000007", m[2])
	assert.Contains(t, m[3], "Not found")
	requests := srv.Requests()
	require.NotEmpty(t, requests)
	assert.Equal(t, requests[len(requests)-1].RequestID, m[4], "the request id is the fake's")
}

func TestInvalidTransitionShowsCause(t *testing.T) {
	srv, env := newFake(t)
	pool := poolID(t, srv, samplePoolAD)
	res := runCLI(t, env, `{"name": "Now", "agentType": "AD"}`, "updates", "create", pool, "--body", "-", "--output", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	var created api.AgentPoolUpdate
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &created))
	require.Equal(t, api.AgentUpdateJobStatusInProgress, *created.Status, "an ad hoc update starts at once")

	res = runCLI(t, env, "", "updates", "resume", pool, *created.Id)

	assert.Equal(t, exitError, res.code)
	m := apiErrorLine.FindStringSubmatch(res.stderr)
	require.NotNil(t, m, "stderr: %q", res.stderr)
	assert.Equal(t, "400", m[1])
	want := `Api validation failed: status: cannot resume update ` + *created.Id + ` in status "InProgress"; resume applies only to status Paused`
	assert.Equal(t, want, m[3])
}

func TestUnknownPoolIsNotFound(t *testing.T) {
	_, env := newFake(t)

	res := runCLI(t, env, "", "settings", "get", "no-such-pool")

	assert.Equal(t, exitError, res.code)
	m := apiErrorLine.FindStringSubmatch(res.stderr)
	require.NotNil(t, m, "stderr: %q", res.stderr)
	assert.Equal(t, "404", m[1])
}

func TestReadOnlyTokenIsForbidden(t *testing.T) {
	srv, env := newFake(t, oktatest.WithReadOnlyAPIToken("00read-only-token"))
	pool := poolID(t, srv, samplePoolAD)
	env[envToken] = "00read-only-token"

	read := runCLI(t, env, "", "settings", "get", pool)
	write := runCLI(t, env, `{"agentType": "AD", "releaseChannel": "EA"}`, "settings", "update", pool, "--body", "-")

	assert.Equal(t, exitOK, read.code, read.stderr)
	assert.Equal(t, exitError, write.code)
	assert.Empty(t, write.stdout)
	m := apiErrorLine.FindStringSubmatch(write.stderr)
	require.NotNil(t, m, "stderr: %q", write.stderr)
	assert.Equal(t, "403", m[1])
	assert.Equal(t, "E0000006", m[2])
	assert.NotContains(t, write.stderr, "00read-only-token")
}

func TestInjectedForbiddenIsOneLine(t *testing.T) {
	srv, env := newFake(t)
	pool := poolID(t, srv, samplePoolAD)
	require.NoError(t, srv.InjectFault("listAgentPoolsUpdates", oktatest.Fault{Status: http.StatusForbidden, Times: 1}))

	res := runCLI(t, env, "", "updates", "list", pool)

	assert.Equal(t, exitError, res.code)
	assert.Empty(t, res.stdout)
	m := apiErrorLine.FindStringSubmatch(res.stderr)
	require.NotNil(t, m, "stderr: %q", res.stderr)
	assert.Equal(t, "403", m[1])
}

func TestInvalidTokenIsUnauthorized(t *testing.T) {
	_, env := newFake(t)
	env[envToken] = "00wrong-token"

	res := runCLI(t, env, "", "pools", "list")

	assert.Equal(t, exitError, res.code)
	m := apiErrorLine.FindStringSubmatch(res.stderr)
	require.NotNil(t, m, "stderr: %q", res.stderr)
	assert.Equal(t, "401", m[1])
	assert.NotContains(t, res.stderr, "00wrong-token")
}

func TestFailedListingLeavesArrayOpen(t *testing.T) {
	srv, env := newFake(t)
	// The second page fails; the first was printed already.
	require.NoError(t, srv.InjectFault("listAgentPools", oktatest.Fault{Times: 1}))
	require.NoError(t, srv.InjectFault("listAgentPools", oktatest.Fault{Status: http.StatusNotFound, Times: 1}))

	res := runCLI(t, env, "", "pools", "list", "--limit-per-type", "2", "--output", "json")

	assert.Equal(t, exitError, res.code)
	assert.True(t, strings.HasPrefix(res.stdout, "[\n  {"), res.stdout)
	assert.False(t, json.Valid([]byte(res.stdout)), "a failed listing must not look complete")
	assert.Equal(t, 1, strings.Count(res.stderr, "\n"), res.stderr)
}

func TestJSONKeepsUnknownMembersAndValues(t *testing.T) {
	srv, env := newFake(t, oktatest.WithoutResponseValidation())
	extra := map[string]json.RawMessage{"region": json.RawMessage(`{"name":"eu-west","primary":true}`)}
	pool := srv.AddPool(api.AgentPool{
		Name:                 ptrTo("scim.example.com"),
		Type:                 ptrTo(api.AgentType("SCIM")),
		OperationalStatus:    ptrTo(api.OperationalStatus("MAINTENANCE")),
		AdditionalProperties: extra,
	})
	update, err := srv.AddUpdate(*pool.Id, api.AgentPoolUpdate{
		Name:                 ptrTo("Queued update"),
		Status:               ptrTo(api.AgentUpdateJobStatus("Queued")),
		AdditionalProperties: map[string]json.RawMessage{"wave": json.RawMessage(`3`)},
	})
	require.NoError(t, err)

	pools := runCLI(t, env, "", "pools", "list", "--output", "json")
	got := runCLI(t, env, "", "updates", "get", *pool.Id, *update.Id, "--output", "json")

	require.Equal(t, exitOK, pools.code, pools.stderr)
	listed := byID(t, withoutLinks(t, []byte(pools.stdout)))
	require.Contains(t, listed, *pool.Id)
	object := listed[*pool.Id].(map[string]any)
	assert.Equal(t, "SCIM", object["type"])
	assert.Equal(t, "MAINTENANCE", object["operationalStatus"])
	assert.Equal(t, map[string]any{"name": "eu-west", "primary": true}, object["region"])

	require.Equal(t, exitOK, got.code, got.stderr)
	assert.Contains(t, got.stdout, `"status": "Queued"`)
	assert.Contains(t, got.stdout, `"wave": 3`)
}

func TestUnknownMembersInBodyAreSent(t *testing.T) {
	srv, env := newFake(t)
	pool := poolID(t, srv, samplePoolAD)

	res := runCLI(t, env, `{"name": "With extras", "agentType": "AD", "rolloutWave": 2}`,
		"updates", "create", pool, "--body", "-", "--output", "json")

	require.Equal(t, exitOK, res.code, res.stderr)
	requests := srv.Requests()
	i := slices.IndexFunc(requests, func(r oktatest.Request) bool { return r.OperationID == "createAgentPoolsUpdate" })
	require.GreaterOrEqual(t, i, 0)
	assert.Contains(t, string(requests[i].Body), `"rolloutWave":2`)
}

func TestDemoPrintsEveryStep(t *testing.T) {
	res := runCLI(t, nil, "", "demo")

	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Empty(t, res.stderr)
	assert.Regexp(t, `^Started a fake Okta org with sample data at http://127\.0\.0\.1:\d+\.\n`, res.stdout)
	assert.Regexp(t, `(?m)^STEP\s+OPERATION\s+RESULT\s+REQUEST ID$`, res.stdout)
	want := []string{
		`^1\s+pools list --limit-per-type 2\s+15 pools of 7 types in 3 pages; first: \w+, corp\.example\.com \(AD\)\s+\S+$`,
		`^2\s+settings get\s+pool \w+: releaseChannel GA, latestVersion 3\.20\.0\s+\S+$`,
		`^3\s+settings update\s+releaseChannel GA -> EA\s+\S+$`,
		`^4\s+updates create\s+update \w+: Scheduled, cron 0 8 \? \* 6#3 America/New_York\s+\S+$`,
		`^5\s+updates activate\s+Scheduled, enabled\s+\S+$`,
		`^6\s+updates pause\s+Paused, enabled\s+\S+$`,
		`^7\s+updates resume\s+InProgress, enabled\s+\S+$`,
		`^8\s+updates stop\s+Cancelled, enabled\s+\S+$`,
	}
	for _, pattern := range want {
		assert.Regexp(t, "(?m)"+pattern, res.stdout)
	}
}

func TestDemoJSON(t *testing.T) {
	res := runCLI(t, nil, "", "--output", "json", "demo")

	require.Equal(t, exitOK, res.code, res.stderr)
	var steps []demoStep
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &steps))
	require.Len(t, steps, 8)
	for i, step := range steps {
		assert.Equal(t, i+1, step.Step)
		assert.NotEmpty(t, step.RequestID, step.Operation)
	}
	assert.Equal(t, "updates stop", steps[7].Operation)
	assert.Equal(t, "Cancelled, enabled", steps[7].Result)
}
