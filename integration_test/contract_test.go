package integration_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools"
	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/auth"
	"github.com/seed570a29ac/agentpools/client"
	"github.com/seed570a29ac/agentpools/oktatest"
)

// loadedSpec returns the embedded OpenAPI document, loaded and validated.
func loadedSpec(t *testing.T) *openapi3.T {
	t.Helper()

	doc, err := openapi3.NewLoader().LoadFromData(agentpools.OpenAPI)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background(), openapi3.EnableExamplesValidation()))
	return doc
}

// specOperation is one operation of the document with its method.
type specOperation struct {
	method string
	path   string
	op     *openapi3.Operation
}

func specOperations(t *testing.T, doc *openapi3.T) map[string]specOperation {
	t.Helper()

	ops := map[string]specOperation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops[op.OperationID] = specOperation{method: method, path: path, op: op}
		}
	}
	require.Len(t, ops, 14)
	return ops
}

func TestSpecExportMatchesFile(t *testing.T) {
	onDisk, err := os.ReadFile(filepath.Join("..", "openapi.yaml"))
	require.NoError(t, err)

	assert.Equal(t, onDisk, agentpools.OpenAPI, "the embedded document is openapi.yaml")
}

func TestSpecSuccessStatuses(t *testing.T) {
	for id, o := range specOperations(t, loadedSpec(t)) {
		var want string
		switch o.method {
		case http.MethodGet:
			want = "200"
		case http.MethodPost:
			want = "201"
		case http.MethodDelete:
			want = "204"
		default:
			t.Fatalf("%s uses method %s", id, o.method)
		}

		var success []string
		for code := range o.op.Responses.Map() {
			if strings.HasPrefix(code, "2") {
				success = append(success, code)
			}
		}
		assert.Equal(t, []string{want}, success, id)

		if want == "204" {
			assert.Empty(t, o.op.Responses.Value("204").Value.Content, "%s answers without a body", id)
		} else {
			assert.NotEmpty(t, o.op.Responses.Value(want).Value.Content, "%s answers with a body", id)
		}
	}
}

func TestSpecResponseHeaders(t *testing.T) {
	rateLimit := []string{"X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"}

	for id, o := range specOperations(t, loadedSpec(t)) {
		for code, ref := range o.op.Responses.Map() {
			headers := ref.Value.Headers
			assert.Contains(t, headers, "X-Okta-Request-Id", "%s %s", id, code)

			if strings.HasPrefix(code, "2") || code == "429" {
				for _, name := range rateLimit {
					require.Contains(t, headers, name, "%s %s", id, code)
					assert.Equal(t, "integer", headers[name].Value.Schema.Value.Type.Slice()[0], "%s %s %s", id, code, name)
				}
			}
			if code == "200" && id == "listAgentPools" {
				assert.Contains(t, headers, "Link", "listAgentPools pages with the Link header")
			} else {
				assert.NotContains(t, headers, "Link", "%s %s: only listAgentPools pages", id, code)
			}
		}
	}
}

func TestSpecErrorResponsesUseErrorSchema(t *testing.T) {
	for id, o := range specOperations(t, loadedSpec(t)) {
		codes := []string{"400", "401", "403", "429", "default"}
		if id != "listAgentPools" {
			codes = append(codes, "404")
		}
		for _, code := range codes {
			ref := o.op.Responses.Value(code)
			require.NotNil(t, ref, "%s has no %s response", id, code)
			media := ref.Value.Content.Get("application/json")
			require.NotNil(t, media, "%s %s", id, code)
			assert.Equal(t, "#/components/schemas/Error", media.Schema.Ref, "%s %s", id, code)
		}
	}
}

func TestSpecOperationScopes(t *testing.T) {
	for id, o := range specOperations(t, loadedSpec(t)) {
		want := "okta.agentPools.manage"
		if o.method == http.MethodGet {
			want = "okta.agentPools.read"
		}

		require.NotNil(t, o.op.Security, id)
		var schemes []string
		for _, requirement := range *o.op.Security {
			for name, scopes := range requirement {
				schemes = append(schemes, name)
				if name == "oauth2" {
					assert.Equal(t, []string{want}, scopes, id)
				} else {
					assert.Empty(t, scopes, id)
				}
			}
		}
		slices.Sort(schemes)
		assert.Equal(t, []string{"apiToken", "oauth2"}, schemes, "%s accepts either scheme", id)
	}

	doc := loadedSpec(t)
	apiToken := doc.Components.SecuritySchemes["apiToken"].Value
	assert.Equal(t, "apiKey", apiToken.Type)
	assert.Equal(t, "header", apiToken.In)
	assert.Contains(t, apiToken.Description, "SSWS")
	assert.Equal(t, "/oauth2/v1/token", doc.Components.SecuritySchemes["oauth2"].Value.Flows.ClientCredentials.TokenURL)
}

func TestSpecParameters(t *testing.T) {
	doc := loadedSpec(t)
	ops := specOperations(t, doc)

	params := func(id string) map[string]*openapi3.Parameter {
		out := map[string]*openapi3.Parameter{}
		o := ops[id]
		for _, ref := range append(slices.Clone(doc.Paths.Find(o.path).Parameters), o.op.Parameters...) {
			out[ref.Value.Name] = ref.Value
		}
		return out
	}

	list := params("listAgentPools")
	require.Len(t, list, 3)
	assert.Equal(t, "query", list["limitPerPoolType"].In)
	assert.True(t, list["limitPerPoolType"].Schema.Value.Type.Is("integer"))
	assert.EqualValues(t, 5, list["limitPerPoolType"].Schema.Value.Default, "Okta's default page size")
	assert.Equal(t, "#/components/schemas/AgentType", list["poolType"].Schema.Ref)
	assert.True(t, list["after"].Schema.Value.Type.Is("string"))

	updates := params("listAgentPoolsUpdates")
	require.Len(t, updates, 2)
	assert.True(t, updates["scheduled"].Schema.Value.Type.Is("boolean"))
	assert.Equal(t, "query", updates["scheduled"].In)

	for id, o := range ops {
		got := params(id)
		if strings.Contains(o.path, "{poolId}") {
			require.Contains(t, got, "poolId", id)
			assert.True(t, got["poolId"].Required, id)
			assert.Equal(t, "path", got["poolId"].In, id)
		}
		if strings.Contains(o.path, "{updateId}") {
			require.Contains(t, got, "updateId", id)
			assert.True(t, got["updateId"].Required, id)
		}
	}
}

func TestSpecEnums(t *testing.T) {
	schemas := loadedSpec(t).Components.Schemas
	want := map[string][]string{
		"AgentType":                 {"AD", "IWA", "LDAP", "MFA", "OPP", "RUM", "Radius"},
		"ReleaseChannel":            {"BETA", "EA", "GA", "TEST"},
		"OperationalStatus":         {"DEGRADED", "DISRUPTED", "INACTIVE", "OPERATIONAL"},
		"AgentUpdateJobStatus":      {"Cancelled", "Failed", "InProgress", "Paused", "Scheduled", "Success"},
		"AgentUpdateInstanceStatus": {"Cancelled", "Failed", "InProgress", "PendingCompletion", "Scheduled", "Success"},
	}
	for name, values := range want {
		require.Contains(t, schemas, name)
		var got []string
		for _, v := range schemas[name].Value.Enum {
			got = append(got, v.(string))
		}
		assert.Equal(t, values, got, name)
	}
}

func TestSpecReadOnlyFields(t *testing.T) {
	schemas := loadedSpec(t).Components.Schemas
	property := func(schema, name string) *openapi3.Schema {
		t.Helper()
		require.Contains(t, schemas[schema].Value.Properties, name, "%s.%s", schema, name)
		return schemas[schema].Value.Properties[name].Value
	}

	for _, schema := range []string{"Agent", "AgentPool", "AgentPoolUpdate"} {
		assert.True(t, property(schema, "id").ReadOnly, "%s.id", schema)
		links := property(schema, "_links")
		readOnly := links.ReadOnly
		for _, part := range links.AllOf {
			readOnly = readOnly || part.Value.ReadOnly
		}
		assert.True(t, readOnly, "%s._links", schema)
	}
	assert.True(t, property("AgentPoolUpdateSetting", "poolId").ReadOnly)

	request := schemas["AgentPoolUpdateSettingRequest"].Value
	assert.Equal(t, []string{"agentType"}, request.Required)
	assert.NotContains(t, request.Properties, "poolId", "the request shape has no poolId")

	lastConnection := property("Agent", "lastConnection")
	var forms []string
	for _, alt := range lastConnection.AnyOf {
		forms = append(forms, alt.Value.Type.Slice()...)
		assert.True(t, alt.Value.Nullable, "lastConnection may be null")
	}
	assert.ElementsMatch(t, []string{"integer", "string"}, forms, "lastConnection is Unix milliseconds or RFC 3339")

	errorSchema := schemas["Error"].Value
	for _, name := range []string{"errorCode", "errorSummary", "errorLink", "errorId", "errorCauses"} {
		assert.Contains(t, errorSchema.Properties, name)
	}
}

// TestFakeLifecycleOutcomesMatchPredicates checks the status that each
// action the fake accepts leaves behind against the api package's model:
// stop finishes a job, pause leaves one that can resume, resume and retry
// leave one running, and activate and deactivate keep the status.
func TestFakeLifecycleOutcomesMatchPredicates(t *testing.T) {
	fake := oktatest.New(t, oktatest.WithSampleData())
	c, err := client.New(fake.URL, client.WithCredentials(auth.APIToken(fake.APIToken())))
	require.NoError(t, err)
	pool := fake.Pools()[0]
	poolID := deref(pool.Id)

	actions := []struct {
		name    string
		allowed func(api.AgentUpdateJobStatus) bool
		call    func(*client.Client, context.Context, string, string) (*api.AgentPoolUpdate, error)
		check   func(t *testing.T, before api.AgentUpdateJobStatus, after api.AgentPoolUpdate)
	}{
		{"activate", api.AgentUpdateJobStatus.CanActivate, (*client.Client).ActivateUpdate, func(t *testing.T, before api.AgentUpdateJobStatus, after api.AgentPoolUpdate) {
			assert.Equal(t, before, after.StatusValue())
			assert.True(t, deref(after.Enabled))
		}},
		{"deactivate", api.AgentUpdateJobStatus.CanDeactivate, (*client.Client).DeactivateUpdate, func(t *testing.T, before api.AgentUpdateJobStatus, after api.AgentPoolUpdate) {
			assert.Equal(t, before, after.StatusValue())
			assert.False(t, deref(after.Enabled))
			assert.True(t, after.StatusValue().CanActivate(), "a deactivated update can be activated again")
		}},
		{"pause", api.AgentUpdateJobStatus.CanPause, (*client.Client).PauseUpdate, func(t *testing.T, _ api.AgentUpdateJobStatus, after api.AgentPoolUpdate) {
			assert.True(t, after.StatusValue().CanResume())
			assert.False(t, after.StatusValue().IsRunning())
			assert.False(t, after.StatusValue().IsFinished())
		}},
		{"resume", api.AgentUpdateJobStatus.CanResume, (*client.Client).ResumeUpdate, func(t *testing.T, _ api.AgentUpdateJobStatus, after api.AgentPoolUpdate) {
			assert.True(t, after.StatusValue().IsRunning())
		}},
		{"retry", api.AgentUpdateJobStatus.CanRetry, (*client.Client).RetryUpdate, func(t *testing.T, _ api.AgentUpdateJobStatus, after api.AgentPoolUpdate) {
			assert.True(t, after.StatusValue().IsRunning())
		}},
		{"stop", api.AgentUpdateJobStatus.CanStop, (*client.Client).StopUpdate, func(t *testing.T, _ api.AgentUpdateJobStatus, after api.AgentPoolUpdate) {
			assert.True(t, after.StatusValue().IsFinished())
			assert.False(t, after.StatusValue().CanStop())
			assert.False(t, after.StatusValue().CanRetry(), "a stopped job is not retried")
		}},
	}

	for _, status := range api.AgentUpdateJobStatuses() {
		for _, action := range actions {
			if !action.allowed(status) {
				continue
			}
			t.Run(string(status)+"/"+action.name, func(t *testing.T) {
				u, err := fake.AddUpdate(poolID, api.AgentPoolUpdate{
					Name:      ptr("outcome " + string(status) + " " + action.name),
					AgentType: pool.Type,
					Schedule:  &api.AutoUpdateSchedule{Cron: ptr("0 8 ? * 6#3"), Timezone: ptr("America/New_York")},
				})
				require.NoError(t, err)
				require.NoError(t, fake.SetUpdateStatus(poolID, deref(u.Id), status))

				returned, err := action.call(c, ctx(t), poolID, deref(u.Id))
				require.NoError(t, err)

				action.check(t, status, *returned)
				stored, ok := fake.Update(poolID, deref(u.Id))
				require.True(t, ok)
				assert.Equal(t, returned.StatusValue(), stored.StatusValue(), "the response is the stored update")
			})
		}
	}
}

// TestWaitUpdateEndsWhenFakeFinishesJob waits for a running job that the
// fake finishes after the client's second poll.
func TestWaitUpdateEndsWhenFakeFinishesJob(t *testing.T) {
	fake := oktatest.New(t, oktatest.WithSampleData())
	c, err := client.New(fake.URL, client.WithCredentials(auth.APIToken(fake.APIToken())))
	require.NoError(t, err)
	pool := fake.Pools()[0]
	poolID := deref(pool.Id)
	u, err := c.CreateUpdate(ctx(t), poolID, api.AgentPoolUpdate{Name: ptr("ad hoc"), AgentType: pool.Type})
	require.NoError(t, err)
	require.True(t, u.StatusValue().IsRunning(), "an ad hoc update starts at once")

	polls := 0
	done, err := c.WaitUpdate(ctx(t), poolID, deref(u.Id), &client.WaitOptions{
		Interval:    time.Millisecond,
		MaxInterval: 5 * time.Millisecond,
		Done: func(got api.AgentPoolUpdate) bool {
			polls++
			if polls == 2 {
				require.NoError(t, fake.SetUpdateStatus(poolID, deref(u.Id), api.AgentUpdateJobStatusSuccess))
			}
			return got.StatusValue().IsFinished()
		},
	})

	require.NoError(t, err)
	assert.Equal(t, api.AgentUpdateJobStatusSuccess, done.StatusValue())
	assert.Equal(t, 3, polls, "the wait ends at the first poll that sees the finished job")
}

// TestSuiteAgainstRealOrgWithWriteOptIn runs this suite as it runs against
// a real org, pointed at a standalone fake through OKTA_CLIENT_ORGURL, with
// the write opt-in set. Every test passes or skips, the write tests run,
// and they leave the org as they found it.
func TestSuiteAgainstRealOrgWithWriteOptIn(t *testing.T) {
	fake := oktatest.New(t, oktatest.WithSampleData())
	poolID := deref(fake.Pools()[0].Id)
	before := orgState(t, fake)

	outcomes := runSuiteAgainst(t, fake, map[string]string{envWrite: "1", envPoolID: poolID})

	for name, outcome := range outcomes {
		assert.NotEqual(t, "fail", outcome, name)
	}
	require.Len(t, outcomes, 10, "every test of the suite ran")
	for _, name := range []string{"TestUpdateLifecycle", "TestSettingsReadAndChange", "TestListUpdates", "TestUnknownUpdateIsNotFound", "TestListPoolsAcrossPages"} {
		assert.Equal(t, "pass", outcomes[name], name)
	}
	for _, name := range []string{"TestRateLimitedCallIsRetried", "TestFakeFollowsLifecycleGuidance", "TestActionInWrongStateIsRejected"} {
		assert.Equal(t, "skip", outcomes[name], "%s needs the in-process fake", name)
	}

	var changes []string
	for _, r := range fake.Requests() {
		if r.Method != http.MethodGet {
			changes = append(changes, r.OperationID)
		}
	}
	assert.Contains(t, changes, "createAgentPoolsUpdate")
	assert.Contains(t, changes, "updateAgentPoolsUpdateSettings")
	after := orgState(t, fake)
	for id, state := range before {
		assert.JSONEq(t, state, after[id], "pool %s: the write tests clean up after themselves", id)
	}
}

// orgState returns the updates and settings of each pool of the fake as
// JSON, keyed by pool ID. It leaves out the pools themselves, because a
// lifecycle action sets the updateStatus of a pool's agents, which no
// client can set back.
func orgState(t *testing.T, fake *oktatest.Server) map[string]string {
	t.Helper()

	state := map[string]string{}
	for _, pool := range fake.Pools() {
		id := deref(pool.Id)
		settings, _ := fake.Settings(id)
		data, err := json.Marshal(map[string]any{"updates": fake.Updates(id), "settings": settings})
		require.NoError(t, err)
		state[id] = string(data)
	}
	return state
}

// suiteTests selects the tests of the suite that run against either target.
const suiteTests = "^(TestListPoolsAcrossPages|TestListPoolsFilterKeptOnEveryPage|TestPoolIteratorResumes|" +
	"TestListUpdates|TestSettingsReadAndChange|TestUpdateLifecycle|TestUnknownUpdateIsNotFound|" +
	"TestActionInWrongStateIsRejected|TestRateLimitedCallIsRetried|TestFakeFollowsLifecycleGuidance)$"

// runSuiteAgainst compiles this package's tests and runs those of
// suiteTests against fake as if it were a real org, with
// extra variables set. It returns the outcome (pass, fail or skip) of each
// top-level test.
func runSuiteAgainst(t *testing.T, fake *oktatest.Server, extra map[string]string) map[string]string {
	t.Helper()

	bin := filepath.Join(t.TempDir(), "integration.test")
	out, err := exec.Command("go", "test", "-c", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go test -c: %s", out)

	cmd := exec.Command(bin, "-test.v", "-test.count=1", "-test.run", suiteTests)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OKTA_") && !strings.HasPrefix(kv, "AGENTPOOLS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, envOrgURL+"="+fake.URL, envToken+"="+fake.APIToken())
	for name, value := range extra {
		cmd.Env = append(cmd.Env, name+"="+value)
	}

	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stdout
	_ = cmd.Run() // A failing test makes the exit status 1, and the outcomes show which.

	outcomes := map[string]string{}
	scanner := bufio.NewScanner(&stdout)
	for scanner.Scan() {
		line := scanner.Text()
		for _, outcome := range []string{"PASS", "FAIL", "SKIP"} {
			name, found := strings.CutPrefix(strings.TrimSpace(line), "--- "+outcome+": ")
			if found && !strings.Contains(name, "/") {
				name, _, _ = strings.Cut(name, " ")
				outcomes[name] = strings.ToLower(outcome)
			}
		}
	}
	require.NotEmpty(t, outcomes, "no test outcomes in: %s", stdout.String())
	t.Logf("suite against %s: %v", fake.URL, outcomes)
	return outcomes
}

// TestSuiteAgainstRealOrgReadOnly runs the suite against a standalone fake
// as a real org, without the write opt-in: the read-only tests pass, the
// write tests skip, and nothing is changed.
func TestSuiteAgainstRealOrgReadOnly(t *testing.T) {
	fake := oktatest.New(t, oktatest.WithSampleData())

	outcomes := runSuiteAgainst(t, fake, nil)

	require.Len(t, outcomes, 10, "every test of the suite ran")
	for name, outcome := range outcomes {
		assert.NotEqual(t, "fail", outcome, name)
	}
	for _, name := range []string{"TestListPoolsAcrossPages", "TestListPoolsFilterKeptOnEveryPage", "TestPoolIteratorResumes", "TestListUpdates", "TestUnknownUpdateIsNotFound"} {
		assert.Equal(t, "pass", outcomes[name], "%s is read-only", name)
	}
	for _, name := range []string{"TestSettingsReadAndChange", "TestUpdateLifecycle"} {
		assert.Equal(t, "skip", outcomes[name], "%s changes the org", name)
	}
	for _, r := range fake.Requests() {
		assert.Equal(t, http.MethodGet, r.Method, "%s changed the org", r.OperationID)
	}
}
