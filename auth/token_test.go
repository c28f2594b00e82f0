package auth

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// secretTransport returns a RoundTripper of ClientSecret credentials for f,
// whose token endpoint responds with handler.
func secretTransport(t *testing.T, f *fakeOkta, handler func(w http.ResponseWriter, r *http.Request)) http.RoundTripper {
	t.Helper()
	f.clientSecret = "token-test-secret"
	f.tokenResponse = handler
	creds, err := ClientSecret(ClientSecretConfig{ClientID: f.clientID, ClientSecret: f.clientSecret, Clock: f.clock.Now})
	require.NoError(t, err)
	return mustRoundTripper(t, creds, f.orgURL())
}

func TestTokenErrors(t *testing.T) {
	longBody := strings.Repeat("x", 2000)
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantError   string
		wantCode    string
		wantBody    string
	}{
		{
			name:      "RFC 6749 error",
			status:    http.StatusUnauthorized,
			body:      `{"error":"invalid_client","error_description":"The client_assertion signature is invalid."}`,
			wantError: "auth: token request failed: 401 invalid_client: The client_assertion signature is invalid.",
			wantCode:  "invalid_client",
		},
		{
			name:      "error on 200",
			status:    http.StatusOK,
			body:      `{"error":"invalid_scope","error_description":"The following scopes are not allowed: [okta.agentPools.manage]"}`,
			wantError: "auth: token request failed: 200 invalid_scope: The following scopes are not allowed: [okta.agentPools.manage]",
			wantCode:  "invalid_scope",
		},
		{
			name:      "Okta API error format",
			status:    http.StatusBadRequest,
			body:      `{"errorCode":"E0000021","errorSummary":"Bad request.  Accept and/or Content-Type headers likely do not match supported values."}`,
			wantError: "auth: token request failed: 400 E0000021: Bad request. Accept and/or Content-Type headers likely do not match supported values.",
			wantCode:  "E0000021",
		},
		{
			name:        "HTML body",
			status:      http.StatusBadGateway,
			contentType: "text/html",
			body:        "<html>\n<body>Bad gateway</body>\n</html>",
			wantError:   `auth: token request failed: 502 bad gateway: response is not JSON: "<html> <body>Bad gateway</body> </html>"`,
			wantBody:    "<html>\n<body>Bad gateway</body>\n</html>",
		},
		{
			name:        "long body is truncated",
			status:      http.StatusServiceUnavailable,
			contentType: "text/plain",
			body:        longBody,
			wantError:   `auth: token request failed: 503 service unavailable: response is not JSON: "` + strings.Repeat("x", 200) + `..."`,
			wantBody:    longBody[:512],
		},
		{
			name:      "JSON without error",
			status:    http.StatusInternalServerError,
			body:      `{}`,
			wantError: "auth: token request failed: 500 internal server error: response is not a token response",
		},
		{
			name:      "empty access token",
			status:    http.StatusOK,
			body:      `{"access_token":"","token_type":"Bearer","expires_in":3600}`,
			wantError: "auth: token request failed: 200 ok: the response has no access_token",
		},
		{
			name:      "unsupported token type",
			status:    http.StatusOK,
			body:      `{"access_token":"abc","token_type":"mac","expires_in":3600}`,
			wantError: `auth: token request failed: 200 ok: unsupported token_type "mac"; want Bearer or DPoP`,
		},
		{
			name:      "multi-line description",
			status:    http.StatusBadRequest,
			body:      `{"error":"invalid_request","error_description":"line one\nline two\u0000"}`,
			wantError: "auth: token request failed: 400 invalid_request: line one line two",
			wantCode:  "invalid_request",
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeOkta(t, newTestClock())
			rt := secretTransport(t, f, func(w http.ResponseWriter, _ *http.Request) {
				contentType := tt.contentType
				if contentType == "" {
					contentType = "application/json"
				}
				w.Header().Set("Content-Type", contentType)
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})

			// Through an http.Client, which wraps the error in *url.Error.
			client := &http.Client{Transport: rt}
			resp, err := client.Get(f.server.URL + apiPath)

			require.Error(t, err)
			assertNoResponse(t, resp)
			var urlErr *url.Error
			require.ErrorAs(t, err, &urlErr)
			var tokenErr *TokenError
			require.ErrorAs(t, err, &tokenErr)
			assert.Equal(t, tt.wantError, tokenErr.Error())
			assert.Equal(t, tt.status, tokenErr.StatusCode)
			assert.Equal(t, tt.wantCode, tokenErr.ErrorCode)
			assert.Equal(t, tt.wantBody, string(tokenErr.Body))
			assert.NotContains(t, tokenErr.Error(), "\n")
			_, apiRequests := f.counts()
			assert.Equal(t, 0, apiRequests)
		})
	}
}

func TestTokenExpiresInString(t *testing.T) {
	f := newFakeOkta(t, newTestClock())
	f.tokens["string-expiry"] = ""
	rt := secretTransport(t, f, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"access_token": "string-expiry", "token_type": "Bearer", "expires_in": "120"})
	})

	mustGet(t, rt, f)
	f.clock.Advance(59 * time.Second)
	mustGet(t, rt, f)
	tokenRequests, _ := f.counts()
	assert.Equal(t, 1, tokenRequests)

	f.clock.Advance(time.Second)
	mustGet(t, rt, f)
	tokenRequests, _ = f.counts()
	assert.Equal(t, 2, tokenRequests)
}

func TestTokenRequestNetworkError(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	f := newFakeOkta(t, newTestClock())
	creds, err := ClientSecret(ClientSecretConfig{
		ClientID:     "c",
		ClientSecret: "network-secret",
		TokenURL:     closedURL + tokenPath,
	})
	require.NoError(t, err)
	rt := mustRoundTripper(t, creds, f.orgURL())

	err = getError(t, rt, f)

	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "auth: token request failed: "), "error %q", err)
	var urlErr *url.Error
	assert.ErrorAs(t, err, &urlErr, "network error not wrapped")
	var tokenErr *TokenError
	assert.False(t, errors.As(err, &tokenErr), "network error is a TokenError")
}

func TestTokenRedirectNotFollowed(t *testing.T) {
	var reached atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Store(true) }))
	defer other.Close()

	f := newFakeOkta(t, newTestClock())
	rt := secretTransport(t, f, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+tokenPath, http.StatusTemporaryRedirect)
	})

	err := getError(t, rt, f)

	var tokenErr *TokenError
	require.ErrorAs(t, err, &tokenErr)
	assert.Equal(t, http.StatusTemporaryRedirect, tokenErr.StatusCode)
	assert.False(t, reached.Load(), "the client secret followed the redirect")
}

func TestTokenRequestUsesBaseTransport(t *testing.T) {
	f, cfg := newKeyOkta(t)
	creds, err := PrivateKeyJWT(PrivateKeyConfig{ClientID: f.clientID, Key: cfg.Key, Clock: f.clock.Now})
	require.NoError(t, err)

	var paths []string
	base := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		paths = append(paths, req.URL.Path)
		return http.DefaultTransport.RoundTrip(req)
	})
	rt, err := creds.RoundTripper(f.orgURL(), base)
	require.NoError(t, err)
	mustGet(t, rt, f)

	assert.Equal(t, []string{tokenPath, apiPath}, paths)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

func TestDefaultTokenURLKeepsBasePath(t *testing.T) {
	f, cfg := newKeyOkta(t)
	creds, err := PrivateKeyJWT(PrivateKeyConfig{ClientID: f.clientID, Key: cfg.Key, Clock: f.clock.Now})
	require.NoError(t, err)

	var tokenURL string
	base := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if tokenURL == "" {
			tokenURL = req.URL.String()
		}
		return nil, errors.New("stop")
	})
	rt, err := creds.RoundTripper(mustParseURL(t, f.server.URL+"/base/?x=1"), base)
	require.NoError(t, err)
	err = getError(t, rt, f)
	require.Error(t, err)

	assert.Equal(t, f.server.URL+"/base/oauth2/v1/token", tokenURL)
}

func TestTokenEndpointIsTokenSource(t *testing.T) {
	f, cfg := newKeyOkta(t)
	rt := privateKeyTransport(t, f, cfg)
	var source oauth2.TokenSource = rt.(*tokenTransport).tokens.(*tokenCache).source

	token, err := source.Token()

	require.NoError(t, err)
	assert.Equal(t, "Bearer", token.Type())
	assert.True(t, strings.HasPrefix(token.AccessToken, "at-"))
	assert.Equal(t, f.clock.Now().Add(time.Hour), token.Expiry)
	assert.Equal(t, ScopeRead+" "+ScopeManage, token.Extra("scope"))
}

func TestDPoPTokenWithoutDPoPEnabled(t *testing.T) {
	f := newFakeOkta(t, newTestClock())
	rt := secretTransport(t, f, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"access_token": "bound", "token_type": "DPoP", "expires_in": 3600})
	})

	err := getError(t, rt, f)

	var dpopErr *DPoPRequiredError
	require.ErrorAs(t, err, &dpopErr)
	assert.Equal(t, "ClientSecretConfig.DPoP", dpopErr.Option)
	assert.EqualError(t, err, "auth: the token endpoint requires DPoP (200 ok: the response has token_type DPoP, but the request had no DPoP proof); set ClientSecretConfig.DPoP to true")
	_, apiRequests := f.counts()
	assert.Equal(t, 0, apiRequests)
}
