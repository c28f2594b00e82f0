package client

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewOrgURL(t *testing.T) {
	tests := []struct {
		orgURL  string
		want    string // server URL, or "" when New must fail
		wantErr string
	}{
		{orgURL: "https://acme.okta.com", want: "https://acme.okta.com"},
		{orgURL: "https://acme.okta.com/", want: "https://acme.okta.com"},
		{orgURL: "https://acme.okta.com:8443", want: "https://acme.okta.com:8443"},
		{orgURL: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{orgURL: "http://127.9.9.9", want: "http://127.9.9.9"},
		{orgURL: "http://[::1]:9000/", want: "http://[::1]:9000"},
		{orgURL: "http://LOCALHOST:1234", want: "http://LOCALHOST:1234"},
		{orgURL: "http://acme.okta.com", wantErr: `client: org URL "http://acme.okta.com" uses plain http, which is allowed only for loopback hosts; use https`},
		{orgURL: "http://10.0.0.1", wantErr: "uses plain http"},
		{orgURL: "http://localhost.evil.example", wantErr: "uses plain http"},
		{orgURL: "", wantErr: "client: org URL is empty"},
		{orgURL: "acme.okta.com", wantErr: "must start with https://"},
		{orgURL: "ftp://acme.okta.com", wantErr: "must start with https://"},
		{orgURL: "https://", wantErr: "has no host"},
		{orgURL: "https://acme.okta.com/api/v1", wantErr: `has the path "/api/v1"`},
		{orgURL: "https://acme.okta.com?x=1", wantErr: "has a query"},
		{orgURL: "https://acme.okta.com?", wantErr: "has a query"},
		{orgURL: "https://acme.okta.com#top", wantErr: "has a fragment"},
		{orgURL: "https://admin:hunter2@acme.okta.com", wantErr: `client: org URL "https://acme.okta.com" contains user information`},
		{orgURL: "https://acme okta.com", wantErr: "is not a valid URL"},
	}

	for _, tt := range tests {
		t.Run(tt.orgURL, func(t *testing.T) {
			c, err := New(tt.orgURL, WithCredentials(testCredentials()))

			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.NotContains(t, err.Error(), "hunter2")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, c.server)
		})
	}
}

func TestNewOptionErrors(t *testing.T) {
	const org = "https://acme.okta.com"
	tests := []struct {
		name    string
		opts    []Option
		wantErr string
	}{
		{"no credentials", nil, "client: no credentials; pass WithCredentials"},
		{"nil credentials", []Option{WithCredentials(nil)}, "WithCredentials got nil credentials"},
		{"nil option", []Option{nil}, "nil Option"},
		{"nil HTTP client", []Option{WithHTTPClient(nil)}, "WithHTTPClient got a nil *http.Client"},
		{"nil logger", []Option{WithLogger(nil)}, "WithLogger got a nil *slog.Logger"},
		{"empty user agent", []Option{WithUserAgent("")}, "WithUserAgent got an empty string"},
		{"user agent with newline", []Option{WithUserAgent("app/1\r\nX-Evil: 1")}, `contains the byte 0xd`},
		{"negative attempts", []Option{WithRetry(RetryPolicy{MaxAttempts: -1})}, "RetryPolicy.MaxAttempts is -1"},
		{"negative wait", []Option{WithRetry(RetryPolicy{MaxWait: -time.Second})}, "RetryPolicy.MaxWait is -1s"},
		{"negative base delay", []Option{WithRetry(RetryPolicy{BaseDelay: -1})}, "RetryPolicy.BaseDelay is -1ns"},
		{"negative max delay", []Option{WithRetry(RetryPolicy{MaxDelay: -1})}, "RetryPolicy.MaxDelay is -1ns"},
		{"max below base", []Option{WithRetry(RetryPolicy{BaseDelay: time.Minute, MaxDelay: time.Second})}, "MaxDelay 1s is shorter than BaseDelay 1m0s"},
		{"zero response limit", []Option{WithMaxResponseBytes(0)}, "WithMaxResponseBytes got 0"},
		{"nil clock", []Option{WithClock(nil)}, "WithClock got a nil Clock"},
		{"empty token", []Option{WithCredentials(testCredentialsWith(""))}, "client: setting up credentials: auth:"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			if !strings.Contains(tt.name, "credentials") && tt.name != "empty token" {
				opts = append([]Option{WithCredentials(testCredentials())}, opts...)
			}

			c, err := New(org, opts...)

			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestNewDefaults(t *testing.T) {
	c, err := New("https://acme.okta.com", WithCredentials(testCredentials()))

	require.NoError(t, err)
	assert.Equal(t, RetryPolicy{MaxAttempts: 4, MaxWait: 2 * time.Minute, BaseDelay: 500 * time.Millisecond, MaxDelay: 30 * time.Second}, c.retry)
	assert.Equal(t, DefaultMaxResponseBytes, c.maxBody)
	assert.NotNil(t, c.pacer)
	assert.Equal(t, DefaultTimeout, c.httpClient.Timeout)
	assert.NotNil(t, c.httpClient.CheckRedirect)
}

func TestWithHTTPClientIsCopied(t *testing.T) {
	base := &http.Client{Timeout: 7 * time.Second}

	c, err := New("https://acme.okta.com", WithCredentials(testCredentials()), WithHTTPClient(base))

	require.NoError(t, err)
	assert.Equal(t, 7*time.Second, c.httpClient.Timeout)
	assert.Nil(t, base.Transport, "the caller's client must not change")
	assert.Nil(t, base.CheckRedirect, "the caller's client must not change")
}

func TestLoggerRecordsRetriesWithoutSecrets(t *testing.T) {
	var calls counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Okta-Request-Id", "req-"+string(rune('0'+calls.inc())))
		if calls.get() == 1 {
			writeOktaError(w, http.StatusServiceUnavailable, "E0000009", "Internal Server Error")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, sampleUpdate)
	}))
	defer srv.Close()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newTestClient(t, srv, newFakeClock(), WithLogger(logger))

	_, err := c.GetUpdate(context.Background(), "p", "u")

	require.NoError(t, err)
	out := logs.String()
	assert.Contains(t, out, `msg="agentpools: retrying request" operation=getAgentPoolsUpdateInstance method=GET path=/api/v1/agentPools/p/updates/u attempt=1 status=503 wait=375ms reason="status 503" request_id=req-1`)
	assert.Contains(t, out, `msg="agentpools: request" operation=getAgentPoolsUpdateInstance method=GET path=/api/v1/agentPools/p/updates/u attempt=2 status=200`)
	assert.NotContains(t, out, testToken)
	assert.NotContains(t, out, "SSWS")
}

func TestDefaultLoggerIsSilent(t *testing.T) {
	c, err := New("https://acme.okta.com", WithCredentials(testCredentials()))

	require.NoError(t, err)
	assert.False(t, c.logger.Enabled(context.Background(), slog.LevelDebug))
	assert.False(t, c.logger.Enabled(context.Background(), slog.LevelError))
}
