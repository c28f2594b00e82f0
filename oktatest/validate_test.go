package oktatest_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/oktatest"
)

func TestValidationRejectsRequests(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		path    string // %s is the pool ID, %u the update ID
		body    string
		edit    requestEdit
		summary string
		cause   string
	}{
		{"unknown poolType", http.MethodGet, "/api/v1/agentPools?poolType=NOPE", "", nil,
			"Api validation failed: poolType", `parameter "poolType" in query has an error`},
		{"zero limit", http.MethodGet, "/api/v1/agentPools?limitPerPoolType=0", "", nil,
			"Api validation failed: limitPerPoolType", "limitPerPoolType"},
		{"text limit", http.MethodGet, "/api/v1/agentPools?limitPerPoolType=ten", "", nil,
			"Api validation failed: limitPerPoolType", "limitPerPoolType"},
		{"scheduled not boolean", http.MethodGet, "/api/v1/agentPools/%s/updates?scheduled=yes", "", nil,
			"Api validation failed: scheduled", "scheduled"},
		{"settings without agentType", http.MethodPost, "/api/v1/agentPools/%s/updates/settings", `{"releaseChannel": "GA"}`, nil,
			"Api validation failed: body", `property "agentType" is missing`},
		{"settings with unknown channel", http.MethodPost, "/api/v1/agentPools/%s/updates/settings", `{"agentType": "AD", "releaseChannel": "NIGHTLY"}`, nil,
			"Api validation failed: body", "/releaseChannel"},
		{"non-JSON body", http.MethodPost, "/api/v1/agentPools/%s/updates", `name=x`, nil,
			"Api validation failed: body", "failed to decode request body"},
		{"wrong content type", http.MethodPost, "/api/v1/agentPools/%s/updates", `{"name": "x"}`, withHeader("Content-Type", "text/plain"),
			"Api validation failed: body", "text/plain"},
		{"negative duration", http.MethodPost, "/api/v1/agentPools/%s/updates", `{"schedule": {"cron": "0 8 15 * ?", "duration": -5}}`, nil,
			"Api validation failed: body", "/schedule/duration"},
		{"body on activate", http.MethodPost, "/api/v1/agentPools/%s/updates/%u/activate", `{"enabled": true}`, nil,
			"Api validation failed: request", "request body not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := oktatest.NewServer(oktatest.WithSampleData())
			defer srv.Close()
			pool := samplePool(t, srv, "corp.example.com")
			update := sampleUpdate(t, srv, *pool.Id, "Monthly AD agent update")
			path := strings.NewReplacer("%s", *pool.Id, "%u", *update.Id).Replace(tt.path)

			var edits []requestEdit
			if tt.edit != nil {
				edits = append(edits, tt.edit)
			}
			resp, body := call(t, srv, tt.method, path, tt.body, edits...)

			e := requireOktaError(t, resp, body, http.StatusBadRequest, "E0000001")
			assert.Equal(t, tt.summary, *e.ErrorSummary)
			require.NotEmpty(t, causes(e))
			assert.Contains(t, strings.Join(causes(e), "\n"), tt.cause)

			errs := srv.ValidationErrors()
			require.Len(t, errs, 1)
			var reqErr *openapi3filter.RequestError
			assert.True(t, errors.As(errs[0], &reqErr), "error %v wraps a RequestError", errs[0])
			assert.Contains(t, errs[0].Error(), "does not match the OpenAPI document")

			stored, _ := srv.Update(*pool.Id, *update.Id)
			assert.Equal(t, update, stored, "a rejected request changes nothing")
		})
	}
}

func TestValidationReadOnlyMembersAccepted(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "corp.example.com")

	resp, body := call(t, srv, http.MethodPost, updatesPath(*pool.Id)+"/settings", `{"agentType": "AD", "poolId": "x"}`)

	assert.Equal(t, http.StatusCreated, resp.StatusCode, "body: %s", body)
}

// seedBrokenPool adds a pool whose operationalStatus is outside the spec's
// enum.
func seedBrokenPool(srv *oktatest.Server) api.AgentPool {
	return srv.AddPool(api.AgentPool{
		Name:              ptr("future.example.com"),
		Type:              ptr(api.AD),
		OperationalStatus: ptr(api.OperationalStatus("HIBERNATING")),
	})
}

func TestValidationRejectsResponseByDefault(t *testing.T) {
	srv := oktatest.NewServer()
	defer srv.Close()
	seedBrokenPool(srv)

	resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")

	requireOktaError(t, resp, body, http.StatusInternalServerError, "E0000009")
	assert.NotEmpty(t, resp.Header.Get("X-Rate-Limit-Remaining"))
	errs := srv.ValidationErrors()
	require.Len(t, errs, 1)
	var respErr *openapi3filter.ResponseError
	require.True(t, errors.As(errs[0], &respErr), "error %v wraps a ResponseError", errs[0])
	assert.Contains(t, errs[0].Error(), "response 200 to GET /api/v1/agentPools (listAgentPools)")
	assert.Contains(t, errs[0].Error(), "/0/operationalStatus")

	srv.ResetValidationErrors()
	assert.Empty(t, srv.ValidationErrors())
}

func TestWithoutResponseValidation(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithoutResponseValidation())
	seedBrokenPool(srv)

	resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")

	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", body)
	assert.Contains(t, string(body), `"operationalStatus":"HIBERNATING"`)
}

func TestWithoutResponseValidationStillChecksRequests(t *testing.T) {
	srv := oktatest.NewServer(oktatest.WithoutResponseValidation())
	defer srv.Close()

	resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools?poolType=NOPE", "")

	requireOktaError(t, resp, body, http.StatusBadRequest, "E0000001")
	assert.Len(t, srv.ValidationErrors(), 1)
}

func TestSeededExtraMembersReachClients(t *testing.T) {
	srv := oktatest.New(t)
	srv.AddPool(api.AgentPool{
		Name:                 ptr("extra"),
		Type:                 ptr(api.AD),
		AdditionalProperties: map[string]json.RawMessage{"newField": json.RawMessage(`{"nested": true}`)},
	})

	_, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")

	assert.Contains(t, string(body), `"newField":{"nested":true}`)
}

func TestSeededInvalidJSONIsRecorded(t *testing.T) {
	srv := oktatest.NewServer()
	defer srv.Close()
	srv.AddPool(api.AgentPool{
		Name:                 ptr("broken"),
		AdditionalProperties: map[string]json.RawMessage{"bad": json.RawMessage(`{not json`)},
	})

	resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")

	requireOktaError(t, resp, body, http.StatusInternalServerError, "E0000009")
	require.Len(t, srv.ValidationErrors(), 1)
	assert.Contains(t, srv.ValidationErrors()[0].Error(), "encoding the 200 response failed")
}

// recordingTB catches the failures that New reports at cleanup.
type recordingTB struct {
	testing.TB
	cleanups []func()
	errors   []string
}

func (r *recordingTB) Helper()          {}
func (r *recordingTB) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) runCleanups() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func TestNewFailsTestOnSpecBreak(t *testing.T) {
	tb := &recordingTB{TB: t}
	srv := oktatest.New(tb)

	call(t, srv, http.MethodGet, "/api/v1/agentPools?poolType=NOPE", "")
	call(t, srv, http.MethodGet, "/api/v1/agentPools?limitPerPoolType=-1", "")
	tb.runCleanups()

	require.Len(t, tb.errors, 1)
	assert.Contains(t, tb.errors[0], "2 request(s) or response(s) did not match the OpenAPI document")
	assert.Contains(t, tb.errors[0], "1. oktatest: request GET /api/v1/agentPools (listAgentPools)")
	assert.Contains(t, tb.errors[0], `2. oktatest: request GET /api/v1/agentPools (listAgentPools) does not match the OpenAPI document: parameter "limitPerPoolType"`)

	resp, err := http.Get(srv.URL + "/api/v1/agentPools")
	if err == nil {
		resp.Body.Close()
	}
	assert.Error(t, err, "the server is closed at cleanup")
}

func TestNewPassesCleanTest(t *testing.T) {
	tb := &recordingTB{TB: t}
	srv := oktatest.New(tb, oktatest.WithSampleData())

	resp, _ := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	tb.runCleanups()

	assert.Empty(t, tb.errors)
}
