package auth

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// rejectFirstToken makes f's API reject the first token it issued.
func rejectFirstToken(f *fakeOkta) {
	f.rejectToken = func(token string) bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return token == f.issued[0]
	}
}

func TestInvalidTokenRefetchesAndRetriesOnce(t *testing.T) {
	tests := []struct {
		name string
		dpop bool
	}{
		{name: "Bearer"},
		{name: "DPoP", dpop: true},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, cfg := newKeyOkta(t)
			rejectFirstToken(f)
			var logs lockedBuffer
			cfg.Logger = debugLogger(&logs)
			cfg.DPoP = tt.dpop
			rt := privateKeyTransport(t, f, cfg)

			// http.NewRequest sets GetBody for a strings.Reader body.
			req, err := http.NewRequest(http.MethodPost, f.server.URL+apiPath, strings.NewReader(`{"name":"update"}`))
			require.NoError(t, err)
			resp, err := rt.RoundTrip(req)
			require.NoError(t, err)
			resp.Body.Close()

			assert.Equal(t, http.StatusOK, resp.StatusCode)
			tokenRequests, apiRequests := f.counts()
			assert.Equal(t, 2, tokenRequests)
			assert.Equal(t, 2, apiRequests)
			assert.Equal(t, []string{`{"name":"update"}`, `{"name":"update"}`}, f.apiBodiesSeen())
			assert.Contains(t, logs.String(), "access token rejected as invalid")
		})
	}
}

func TestInvalidTokenRetriedOnlyOnce(t *testing.T) {
	f, cfg := newKeyOkta(t)
	f.rejectToken = func(string) bool { return true }
	rt := privateKeyTransport(t, f, cfg)

	resp, err := get(t, rt, f)
	require.NoError(t, err)
	defer resp.Body.Close()

	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Contains(t, string(body), "E0000011", "returned 401 body")
	tokenRequests, apiRequests := f.counts()
	assert.Equal(t, 2, tokenRequests)
	assert.Equal(t, 2, apiRequests)
}

func TestInvalidTokenWithoutGetBody(t *testing.T) {
	f, cfg := newKeyOkta(t)
	rejectFirstToken(f)
	rt := privateKeyTransport(t, f, cfg)

	req, err := http.NewRequest(http.MethodPost, f.server.URL+apiPath, nil)
	require.NoError(t, err)
	req.Body = io.NopCloser(strings.NewReader("cannot be sent twice"))
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()

	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	tokenRequests, apiRequests := f.counts()
	assert.Equal(t, 1, tokenRequests)
	assert.Equal(t, 1, apiRequests)
}

func TestInvalidTokenConcurrentOneRefetch(t *testing.T) {
	const callers = 8
	f, cfg := newKeyOkta(t)
	rejectFirstToken(f)
	rt := privateKeyTransport(t, f, cfg)
	mustGetStatus := func() int {
		req, _ := http.NewRequest(http.MethodGet, f.server.URL+apiPath, nil)
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Errorf("RoundTrip: %v", err)
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	// Every caller sends the first token, which the API rejects; the first
	// rejection drops it and the others reuse the replacement.
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() { assert.Equal(t, http.StatusOK, mustGetStatus()) })
	}
	wg.Wait()

	tokenRequests, _ := f.counts()
	assert.Equal(t, 2, tokenRequests)
}

func TestRoundTripDoesNotModifyRequest(t *testing.T) {
	f, cfg := newKeyOkta(t)
	cfg.DPoP = true
	rt := privateKeyTransport(t, f, cfg)

	req, err := http.NewRequest(http.MethodGet, f.server.URL+apiPath+"?q=1", nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "application/json")
	before := req.Header.Clone()
	beforeURL := req.URL.String()

	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()

	assert.Equal(t, before, req.Header)
	assert.Equal(t, beforeURL, req.URL.String())
}

// closeTracker records whether a request body was closed.
type closeTracker struct {
	io.Reader
	closed atomic.Bool
}

func (c *closeTracker) Close() error {
	c.closed.Store(true)
	return nil
}

func TestRoundTripClosesBodyOnTokenError(t *testing.T) {
	f, cfg := newKeyOkta(t)
	f.tokenResponse = func(w http.ResponseWriter, _ *http.Request) {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "The client_assertion signature is invalid.")
	}
	rt := privateKeyTransport(t, f, cfg)

	body := &closeTracker{Reader: strings.NewReader("{}")}
	req, err := http.NewRequest(http.MethodPost, f.server.URL+apiPath, body)
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)

	assertNoResponse(t, resp)
	require.Error(t, err)
	assert.True(t, body.closed.Load(), "request body not closed")
	_, apiRequests := f.counts()
	assert.Equal(t, 0, apiRequests)
}

func TestRoundTripRejectsOtherOrigin(t *testing.T) {
	var reached atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Store(true) }))
	defer other.Close()

	f, cfg := newKeyOkta(t)
	creds := []struct {
		name string
		rt   http.RoundTripper
	}{
		{"private key", privateKeyTransport(t, f, cfg)},
		{"API token", mustRoundTripper(t, APIToken("00abc-token"), f.orgURL())},
	}

	for _, c := range creds {
		t.Run(c.name, func(t *testing.T) {
			body := &closeTracker{Reader: strings.NewReader("{}")}
			req, err := http.NewRequest(http.MethodPost, other.URL+apiPath, body)
			require.NoError(t, err)
			resp, err := c.rt.RoundTrip(req)

			assertNoResponse(t, resp)
			assert.ErrorContains(t, err, "refusing to send credentials")
			assert.True(t, body.closed.Load(), "request body not closed")
		})
	}
	assert.False(t, reached.Load(), "the other server received a request")
	tokenRequests, _ := f.counts()
	assert.Equal(t, 0, tokenRequests)
}

func TestOriginDefaultPorts(t *testing.T) {
	tests := []struct {
		raw  string
		want string
	}{
		{"https://Example.Okta.com", "https://example.okta.com"},
		{"https://example.okta.com:443/api", "https://example.okta.com"},
		{"http://127.0.0.1:80", "http://127.0.0.1"},
		{"https://example.okta.com:8443", "https://example.okta.com:8443"},
		{"https://[::1]:443", "https://[::1]"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, originKey(mustParseURL(t, tt.raw)), tt.raw)
	}
}

func TestIsOriginAgreesWithOrigin(t *testing.T) {
	orgs := []string{"https://example.okta.com", "https://example.okta.com:8443", "http://127.0.0.1:8080", "https://[::1]"}
	requests := []string{
		"https://example.okta.com/api/v1/agentPools",
		"https://EXAMPLE.okta.com/api",
		"https://example.okta.com:443/api",
		"https://example.okta.com:8443/api",
		"http://example.okta.com/api",
		"https://example.okta.com.evil.com/api",
		"https://evil.com/https://example.okta.com",
		"http://127.0.0.1:8080/",
		"http://127.0.0.1:80/",
		"https://[::1]:443/",
		"https://[::1]/",
		"/api/v1/agentPools",
	}

	for _, org := range orgs {
		orgOrigin := originKey(mustParseURL(t, org))
		for _, raw := range requests {
			u := mustParseURL(t, raw)
			if isOrigin(u, orgOrigin) {
				assert.Equal(t, orgOrigin, originKey(u), "isOrigin(%s, %s) is true", raw, orgOrigin)
			}
			req, err := http.NewRequest(http.MethodGet, raw, nil)
			require.NoError(t, err)
			assert.Equal(t, originKey(u) == orgOrigin, checkRequest(req, orgOrigin) == nil, "checkRequest(%s, %s)", raw, orgOrigin)
		}
	}
}

func TestStaticCredentialsDoNotModifyRequest(t *testing.T) {
	var seen []string
	base := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		seen = append(seen, req.Header.Get("Authorization"))
		// A base transport that breaks the RoundTripper contract and
		// writes into the header it got.
		req.Header["Authorization"][0] = "changed"
		req.Header.Set("X-Base", "1")
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: req}, nil
	})
	rt, err := APIToken("00abc-token").RoundTripper(mustParseURL(t, "https://example.okta.com"), base)
	require.NoError(t, err)

	req, err := http.NewRequest(http.MethodGet, "https://example.okta.com/api/v1/agentPools?limit=5", nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "application/json")
	before := req.Header.Clone()
	for range 2 {
		resp, err := rt.RoundTrip(req)
		require.NoError(t, err)
		resp.Body.Close()
	}

	assert.Equal(t, []string{"SSWS 00abc-token", "SSWS 00abc-token"}, seen)
	assert.Equal(t, before, req.Header)
	assert.Equal(t, "https://example.okta.com/api/v1/agentPools?limit=5", req.URL.String())

	t.Run("nil header", func(t *testing.T) {
		seen = nil
		req := &http.Request{Method: http.MethodGet, URL: mustParseURL(t, "https://example.okta.com/api/v1/agentPools")}
		resp, err := rt.RoundTrip(req)
		require.NoError(t, err)
		resp.Body.Close()

		assert.Equal(t, []string{"SSWS 00abc-token"}, seen)
		assert.Nil(t, req.Header)
	})
}

func mustRoundTripper(t *testing.T, creds Credentials, orgURL *url.URL) http.RoundTripper {
	t.Helper()
	rt, err := creds.RoundTripper(orgURL, nil)
	require.NoError(t, err)
	return rt
}

func TestStaticCredentials(t *testing.T) {
	var authorization atomic.Value
	server := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		authorization.Store(r.Header.Get("Authorization"))
	}))
	defer server.Close()
	orgURL := mustParseURL(t, server.URL)

	tests := []struct {
		name  string
		creds Credentials
		want  string
	}{
		{"API token", APIToken("00aBcD-token"), "SSWS 00aBcD-token"},
		{"bearer token", BearerToken("eyJ.bearer.token"), "Bearer eyJ.bearer.token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := &http.Client{Transport: mustRoundTripper(t, tt.creds, orgURL)}
			resp, err := client.Get(server.URL + apiPath)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tt.want, authorization.Load())
		})
	}
}

func TestStaticCredentialsInvalidToken(t *testing.T) {
	orgURL := mustParseURL(t, "https://example.okta.com")
	tests := []struct {
		name  string
		creds Credentials
		want  string
	}{
		{"empty API token", APIToken(""), "the token passed to APIToken is empty"},
		{"empty bearer token", BearerToken(""), "the token passed to BearerToken is empty"},
		{"API token with newline", APIToken("abc\r\nX-Injected: 1"), "contains white space or control characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt, err := tt.creds.RoundTripper(orgURL, nil)
			assert.Nil(t, rt)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

// sequenceSource returns the tokens in order and then repeats the last.
type sequenceSource struct {
	mu     sync.Mutex
	tokens []string
	calls  int
}

func (s *sequenceSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	token := s.tokens[min(s.calls, len(s.tokens)-1)]
	s.calls++
	return &oauth2.Token{AccessToken: token, TokenType: "bearer"}, nil
}

func TestTokenSourceCredentials(t *testing.T) {
	f := newFakeOkta(t, newTestClock())
	f.tokens["old-token"] = ""
	f.tokens["new-token"] = ""
	f.rejectToken = func(token string) bool { return token == "old-token" }

	t.Run("retries with a new token", func(t *testing.T) {
		source := &sequenceSource{tokens: []string{"old-token", "new-token"}}
		rt := mustRoundTripper(t, TokenSource(source), f.orgURL())
		mustGet(t, rt, f)
		assert.Equal(t, 2, source.calls)
	})

	t.Run("no retry with the same token", func(t *testing.T) {
		source := &sequenceSource{tokens: []string{"old-token"}}
		rt := mustRoundTripper(t, TokenSource(source), f.orgURL())
		resp, err := get(t, rt, f)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	})

	t.Run("empty token", func(t *testing.T) {
		source := oauth2.StaticTokenSource(&oauth2.Token{})
		rt := mustRoundTripper(t, TokenSource(source), f.orgURL())
		err := getError(t, rt, f)
		assert.ErrorContains(t, err, "empty access token")
	})

	t.Run("source error", func(t *testing.T) {
		sourceErr := errors.New("metadata server unavailable")
		rt := mustRoundTripper(t, TokenSource(failingSource{sourceErr}), f.orgURL())
		err := getError(t, rt, f)
		assert.ErrorIs(t, err, sourceErr)
	})

	assert.Equal(t, []string{"Bearer old-token", "Bearer new-token", "Bearer old-token"}, f.apiAuthSeen())
}

type failingSource struct{ err error }

func (s failingSource) Token() (*oauth2.Token, error) { return nil, s.err }

func TestParseChallenges(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   []challenge
	}{
		{
			name:   "Okta bearer challenge",
			values: []string{`Bearer authorization_uri="https://example.okta.com/oauth2/v1/authorize", realm="https://example.okta.com", scope="okta.agentPools.read", error="invalid_token", error_description="The access token is invalid.", resource="/api/v1/agentPools"`},
			want: []challenge{{scheme: "Bearer", params: map[string]string{
				"authorization_uri": "https://example.okta.com/oauth2/v1/authorize",
				"realm":             "https://example.okta.com",
				"scope":             "okta.agentPools.read",
				"error":             "invalid_token",
				"error_description": "The access token is invalid.",
				"resource":          "/api/v1/agentPools",
			}}},
		},
		{
			name:   "two challenges in one value",
			values: []string{`Bearer realm="r", DPoP algs="ES256 RS256", error=use_dpop_nonce`},
			want: []challenge{
				{scheme: "Bearer", params: map[string]string{"realm": "r"}},
				{scheme: "DPoP", params: map[string]string{"algs": "ES256 RS256", "error": "use_dpop_nonce"}},
			},
		},
		{
			name:   "escaped quote and upper-case name",
			values: []string{`DPoP Error="use_dpop_nonce", error_description="say \"nonce\""`},
			want:   []challenge{{scheme: "DPoP", params: map[string]string{"error": "use_dpop_nonce", "error_description": `say "nonce"`}}},
		},
		{
			name:   "token68 and separate values",
			values: []string{`Basic abc==`, `Negotiate`},
			want: []challenge{
				{scheme: "Basic", params: map[string]string{"abc": ""}},
				{scheme: "Negotiate", params: map[string]string{}},
			},
		},
		{
			name:   "unterminated quote",
			values: []string{`Bearer error="invalid_token`},
			want:   []challenge{{scheme: "Bearer", params: map[string]string{"error": "invalid_token"}}},
		},
		{
			name:   "garbage",
			values: []string{`=,,"";;`},
			want:   nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseChallenges(tt.values)
			// Schemes after a token68 are lenient; compare what matters.
			assert.Equal(t, len(tt.want), len(got), "challenges %v", got)
			for i := range min(len(tt.want), len(got)) {
				assert.Equal(t, tt.want[i].scheme, got[i].scheme)
				assert.Equal(t, tt.want[i].params, got[i].params)
			}
		})
	}
}
