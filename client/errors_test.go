package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorResponses(t *testing.T) {
	tests := []struct {
		name        string
		handler     http.HandlerFunc
		wantStatus  int
		wantMessage string
		check       func(t *testing.T, err error, apiErr *Error)
	}{
		{
			name: "Okta error object",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Okta-Request-Id", "abc")
				writeOktaError(w, http.StatusNotFound, "E0000007", "Not found: Resource not found")
			},
			wantStatus:  http.StatusNotFound,
			wantMessage: "client: GET /api/v1/agentPools/x/updates/u: 404 E0000007 Not found: Resource not found (request id abc, 1 attempt)",
			check: func(t *testing.T, err error, apiErr *Error) {
				assert.True(t, IsNotFound(err))
				assert.False(t, IsForbidden(err))
				assert.Equal(t, "E0000007", apiErr.Link)
				assert.Equal(t, "oae123", apiErr.ID)
				assert.Empty(t, apiErr.Body)
			},
		},
		{
			name: "validation causes",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = io.WriteString(w, `{"errorCode":"E0000001","errorSummary":"Api validation failed: schedule","errorLink":"E0000001","errorId":"oae1",`+
					`"errorCauses":[{"errorSummary":"schedule.cron: Only day-of-month and nth-weekday schedules are supported."},{"errorSummary":"line\nbreak"}]}`)
			},
			wantStatus: http.StatusBadRequest,
			wantMessage: "client: GET /api/v1/agentPools/x/updates/u: 400 E0000001 Api validation failed: schedule " +
				"[schedule.cron: Only day-of-month and nth-weekday schedules are supported.; line break] (1 attempt)",
			check: func(t *testing.T, err error, apiErr *Error) {
				assert.Equal(t, []string{"schedule.cron: Only day-of-month and nth-weekday schedules are supported.", "line\nbreak"}, apiErr.Causes)
			},
		},
		{
			name: "HTML 502",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.WriteHeader(http.StatusBadGateway)
				_, _ = io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head><body>"+strings.Repeat("x", 1000)+"</body></html>")
			},
			wantStatus:  http.StatusBadGateway,
			wantMessage: `client: GET /api/v1/agentPools/x/updates/u: 502 (HTML body: "<html><head><title>502 Bad Gateway</title></head><body>xxxxxxxxxxxxxxxxxxxxxxxxx...") (1 attempt, attempt limit of 1 reached)`,
			check: func(t *testing.T, err error, apiErr *Error) {
				assert.Len(t, apiErr.Body, maxErrorBody+len("..."))
				assert.True(t, strings.HasPrefix(apiErr.Body, "<html>"))
			},
		},
		{
			name: "empty 403 with WWW-Authenticate",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("WWW-Authenticate", `Bearer authorization_uri="http://x/oauth2/v1/authorize", realm="http://x", scope="okta.agentPools.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/agentPools"`)
				w.Header().Set("X-Okta-Request-Id", "r403")
				w.WriteHeader(http.StatusForbidden)
			},
			wantStatus:  http.StatusForbidden,
			wantMessage: "client: GET /api/v1/agentPools/x/updates/u: 403 (empty body) (auth error insufficient_scope, request id r403, 1 attempt)",
			check: func(t *testing.T, err error, apiErr *Error) {
				assert.True(t, IsForbidden(err))
				assert.Equal(t, "insufficient_scope", apiErr.AuthError)
			},
		},
		{
			name: "401 with invalid_token and Okta error",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="x", error="invalid_token", error_description="The access token is invalid."`)
				writeOktaError(w, http.StatusUnauthorized, "E0000011", "Invalid token provided")
			},
			wantStatus:  http.StatusUnauthorized,
			wantMessage: "client: GET /api/v1/agentPools/x/updates/u: 401 E0000011 Invalid token provided (auth error invalid_token, 1 attempt)",
			check: func(t *testing.T, err error, apiErr *Error) {
				assert.True(t, IsUnauthorized(err))
			},
		},
		{
			name: "OAuth error object",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = io.WriteString(w, `{"error":"invalid_dpop_proof","error_description":"The DPoP proof JWT is invalid."}`)
			},
			wantStatus:  http.StatusBadRequest,
			wantMessage: "client: GET /api/v1/agentPools/x/updates/u: 400 invalid_dpop_proof The DPoP proof JWT is invalid. (1 attempt)",
		},
		{
			name: "JSON that is no error object",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusConflict)
				_, _ = io.WriteString(w, `{"message":"conflict"}`)
			},
			wantStatus:  http.StatusConflict,
			wantMessage: `client: GET /api/v1/agentPools/x/updates/u: 409 (body: "{\"message\":\"conflict\"}") (1 attempt)`,
			check: func(t *testing.T, err error, apiErr *Error) {
				assert.Equal(t, `{"message":"conflict"}`, apiErr.Body)
			},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			c := newTestClient(t, srv, newFakeClock(), WithRetry(RetryPolicy{MaxAttempts: 1}))

			_, err := c.GetUpdate(context.Background(), "x", "u")

			var apiErr *Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.wantStatus, apiErr.StatusCode)
			assert.Equal(t, http.MethodGet, apiErr.Method)
			assert.Equal(t, srv.URL+"/api/v1/agentPools/x/updates/u", apiErr.URL)
			assert.Equal(t, tt.wantMessage, err.Error())
			assert.NotContains(t, err.Error(), "\n")
			if tt.check != nil {
				tt.check(t, err, apiErr)
			}
		})
	}
}

func TestErrorMessageNeverContainsToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A careless server that echoes the request headers.
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, "%v", r.Header)
	}))
	defer srv.Close()
	c := newTestClient(t, srv, newFakeClock())

	_, err := c.GetUpdate(context.Background(), "x", "u")

	require.Error(t, err)
	// The Body field holds what the server sent, but the one-line message
	// quotes only its start, which here is the header name.
	assert.NotContains(t, err.Error(), testToken)
}

func TestScrubURL(t *testing.T) {
	u := mustParseURL(t, "https://user:pw@acme.okta.com/api/v1/agentPools?after=abc&access_token=secret&client_secret=s2#frag")

	got := scrubURL(u)

	assert.Equal(t, "https://acme.okta.com/api/v1/agentPools?access_token=REDACTED&after=abc&client_secret=REDACTED", got)
}

func TestAuthErrorParam(t *testing.T) {
	tests := []struct {
		header []string
		want   string
	}{
		{[]string{`Bearer error="invalid_token"`}, "invalid_token"},
		{[]string{`Bearer realm="a, b", error_description="x error=no", error=insufficient_scope`}, "insufficient_scope"},
		{[]string{`DPoP algs="ES256", Bearer error="use_dpop_nonce"`}, "use_dpop_nonce"},
		{[]string{`Basic realm="x"`, `Bearer ERROR="invalid_token"`}, "invalid_token"},
		{[]string{`Basic abc==`}, ""},
		{[]string{`Bearer error="unterminated`}, "unterminated"},
		{nil, ""},
	}

	for _, tt := range tests {
		assert.Equal(t, tt.want, authErrorParam(tt.header), "header %q", tt.header)
	}
}

func TestRateLimitErrorUnwrap(t *testing.T) {
	inner := &Error{StatusCode: http.StatusTooManyRequests, Method: "GET", URL: "https://a/x", Attempts: 1}
	err := fmt.Errorf("outer: %w", &RateLimitError{Err: inner})

	var got *Error
	require.True(t, errors.As(err, &got))
	assert.Same(t, inner, got)
	assert.True(t, IsRateLimited(err))
	assert.False(t, IsRateLimited(inner))
	assert.False(t, IsNotFound(errors.New("plain")))
}
