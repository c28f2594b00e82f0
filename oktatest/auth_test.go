package oktatest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/oktatest"
)

func TestAuthMissingHeader(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())

	resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "", withoutAuth())

	e := requireOktaError(t, resp, body, http.StatusUnauthorized, "E0000011")
	assert.Equal(t, "Invalid token provided", *e.ErrorSummary)
	challenge := resp.Header.Get("WWW-Authenticate")
	assert.True(t, strings.HasPrefix(challenge, "Bearer "), challenge)
	assert.Contains(t, challenge, `scope="okta.agentPools.read"`)
	assert.Contains(t, challenge, `resource="/api/v1/agentPools"`)
	assert.NotEmpty(t, resp.Header.Get("X-Rate-Limit-Limit"))
}

func TestAuthMissingHeaderNamesManageScope(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "corp.example.com")

	resp, body := call(t, srv, http.MethodPost, updatesPath(*pool.Id), `{"name": "x"}`, withoutAuth())

	requireOktaError(t, resp, body, http.StatusUnauthorized, "E0000011")
	assert.Contains(t, resp.Header.Get("WWW-Authenticate"), `scope="okta.agentPools.manage"`)
	assert.Len(t, srv.Updates(*pool.Id), 2, "an unauthenticated create stores nothing")
}

func TestAuthRejectsBadCredentials(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithAPIToken("00good-token"))

	for name, value := range map[string]string{
		"wrong token":    "SSWS 00bad-token",
		"token prefix":   "SSWS 00good",
		"empty token":    "SSWS ",
		"basic":          "Basic dXNlcjpwYXNz",
		"scheme only":    "SSWS",
		"unknown scheme": "Token 00good-token",
	} {
		t.Run(name, func(t *testing.T) {
			resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "", withHeader("Authorization", value))

			requireOktaError(t, resp, body, http.StatusUnauthorized, "E0000011")
		})
	}
}

func TestAuthAcceptsConfiguredToken(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithAPIToken("00good-token"))
	require.Equal(t, "00good-token", srv.APIToken())

	resp, _ := call(t, srv, http.MethodGet, "/api/v1/agentPools", "", withHeader("Authorization", "SSWS 00good-token"))
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	resp, _ = call(t, srv, http.MethodGet, "/api/v1/agentPools", "", withHeader("Authorization", "ssws 00good-token"))
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the scheme is case-insensitive")
}

func TestAuthRandomTokenPerServer(t *testing.T) {
	a := oktatest.New(t)
	b := oktatest.New(t)

	assert.Len(t, a.APIToken(), 42)
	assert.True(t, strings.HasPrefix(a.APIToken(), "00"))
	assert.NotEqual(t, a.APIToken(), b.APIToken())

	resp, body := call(t, a, http.MethodGet, "/api/v1/agentPools", "", withHeader("Authorization", "SSWS "+b.APIToken()))
	requireOktaError(t, resp, body, http.StatusUnauthorized, "E0000011")
}

func TestAuthReadOnlyToken(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData(), oktatest.WithReadOnlyAPIToken("00read-only"))
	pool := samplePool(t, srv, "corp.example.com")
	update := sampleUpdate(t, srv, *pool.Id, "Monthly AD agent update")
	readOnly := withHeader("Authorization", "SSWS 00read-only")

	reads := []string{"/api/v1/agentPools", updatesPath(*pool.Id), updatesPath(*pool.Id) + "/settings", updatesPath(*pool.Id) + "/" + *update.Id}
	for _, path := range reads {
		resp, body := call(t, srv, http.MethodGet, path, "", readOnly)
		assert.Equal(t, http.StatusOK, resp.StatusCode, "GET %s: %s", path, body)
	}

	changes := []struct{ method, path, body string }{
		{http.MethodPost, updatesPath(*pool.Id), `{"name": "x"}`},
		{http.MethodPost, updatesPath(*pool.Id) + "/settings", `{"agentType": "AD"}`},
		{http.MethodPost, updatesPath(*pool.Id) + "/" + *update.Id, `{"name": "x"}`},
		{http.MethodDelete, updatesPath(*pool.Id) + "/" + *update.Id, ""},
		{http.MethodPost, updatesPath(*pool.Id) + "/" + *update.Id + "/stop", ""},
	}
	for _, c := range changes {
		resp, body := call(t, srv, c.method, c.path, c.body, readOnly)
		e := requireOktaError(t, resp, body, http.StatusForbidden, "E0000006")
		assert.Equal(t, "You do not have permission to perform the requested action", *e.ErrorSummary)
	}

	stored, _ := srv.Update(*pool.Id, *update.Id)
	assert.Equal(t, update, stored, "forbidden changes store nothing")
}

func TestAuthBearerGoesToAuthorizationServer(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())

	for _, scheme := range []string{"Bearer", "DPoP"} {
		resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "", withHeader("Authorization", scheme+" not-a-token"))

		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "%s: %s", scheme, body)
	}
}
