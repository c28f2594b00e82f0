package oktatest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/oktatest"
)

// requestEdit changes a request before call sends it.
type requestEdit func(*http.Request)

func withHeader(name, value string) requestEdit {
	return func(r *http.Request) { r.Header.Set(name, value) }
}

func withoutAuth() requestEdit {
	return func(r *http.Request) { r.Header.Del("Authorization") }
}

// response is the status and header of a response whose body call has
// read and closed.
type response struct {
	StatusCode int
	Header     http.Header
}

// call sends one request to srv with the server's SSWS token and returns
// the response and its body. A non-empty body is sent as JSON.
func call(t *testing.T, srv *oktatest.Server, method, path, body string, edits ...requestEdit) (response, []byte) {
	t.Helper()

	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, reader)
	require.NoError(t, err)
	req.Header.Set("Authorization", "SSWS "+srv.APIToken())
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, edit := range edits {
		edit(req)
	}

	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{StatusCode: resp.StatusCode, Header: resp.Header}, data
}

func decode[T any](t *testing.T, data []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(data, &v), "body: %s", data)
	return v
}

// requireOktaError checks that the response is an Okta error object with
// the given status and code, and returns it.
func requireOktaError(t *testing.T, resp response, body []byte, status int, code string) api.Error {
	t.Helper()

	require.Equal(t, status, resp.StatusCode, "body: %s", body)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.NotEmpty(t, resp.Header.Get("X-Okta-Request-Id"))

	e := decode[api.Error](t, body)
	require.NotNil(t, e.ErrorCode, "body: %s", body)
	assert.Equal(t, code, *e.ErrorCode)
	require.NotNil(t, e.ErrorLink)
	assert.Equal(t, code, *e.ErrorLink)
	require.NotNil(t, e.ErrorId)
	assert.True(t, strings.HasPrefix(*e.ErrorId, "oae"), "errorId %q", *e.ErrorId)
	require.NotNil(t, e.ErrorSummary)
	assert.NotEmpty(t, *e.ErrorSummary)
	require.NotNil(t, e.ErrorCauses, "errorCauses must be present, even when empty")
	return e
}

// causes returns the errorSummary of each cause of e.
func causes(e api.Error) []string {
	var out []string
	for _, c := range *e.ErrorCauses {
		out = append(out, *c.ErrorSummary)
	}
	return out
}

// links returns the Link header values by rel.
func links(t *testing.T, h http.Header) map[string]string {
	t.Helper()

	out := map[string]string{}
	for _, value := range h.Values("Link") {
		target, rel, ok := strings.Cut(value, ">; rel=")
		require.True(t, ok, "Link %q", value)
		require.True(t, strings.HasPrefix(target, "<"), "Link %q", value)
		out[strings.Trim(rel, `"`)] = strings.TrimPrefix(target, "<")
	}
	return out
}

// samplePool returns the stored sample pool with the given name.
func samplePool(t *testing.T, srv *oktatest.Server, name string) api.AgentPool {
	t.Helper()
	for _, p := range srv.Pools() {
		if p.Name != nil && *p.Name == name {
			return p
		}
	}
	require.Failf(t, "sample pool missing", "no pool named %q", name)
	return api.AgentPool{}
}

// sampleUpdate returns the stored update of the pool with the given name.
func sampleUpdate(t *testing.T, srv *oktatest.Server, poolID, name string) api.AgentPoolUpdate {
	t.Helper()
	for _, u := range srv.Updates(poolID) {
		if u.Name != nil && *u.Name == name {
			return u
		}
	}
	require.Failf(t, "sample update missing", "no update named %q in pool %s", name, poolID)
	return api.AgentPoolUpdate{}
}

func jsonDecode(resp *http.Response, v any) error {
	return json.NewDecoder(resp.Body).Decode(v)
}

func stringsReader(s string) io.Reader {
	if s == "" {
		return nil
	}
	return strings.NewReader(s)
}

func readAll(resp *http.Response) ([]byte, error) {
	return io.ReadAll(resp.Body)
}

func jsonUnmarshal(data []byte, v any) error {
	return json.Unmarshal(data, v)
}
