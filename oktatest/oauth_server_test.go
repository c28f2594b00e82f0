package oktatest

import (
	"net/http"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests run the OAuth 2.0 flows through a whole fake org, Server, with
// the Agent Pools API routes, request validation and its error writer.

// newServerHarness starts a fake org whose clock the harness sets.
func newServerHarness(t *testing.T) *oauthHarness {
	t.Helper()

	clock := &oauthTestClock{now: oauthTestStart}
	server := New(t, WithClock(clock.Now))

	return &oauthHarness{
		t:        t,
		clock:    clock,
		auth:     server.oauth,
		server:   server,
		client:   &http.Client{},
		baseURL:  server.URL,
		tokenURL: server.URL + oauthTokenPath,
	}
}

func TestServerBearerToken(t *testing.T) {
	t.Parallel()

	key := oauthTestRSAKey(t, 0)
	h := newServerHarness(t)
	h.registerKeyClient(&key.PublicKey, "", oauthScopeRead)

	token := requireToken(t, h.postToken(h.signedForm(key, oauthScopeRead), nil), "Bearer", oauthScopeRead)
	response := h.callAPI(http.MethodGet, oauthTestReadPath, "Bearer "+token, "")
	assert.Equal(t, http.StatusOK, response.status, "body: %s", response.body)

	// The read-only token may not call a manage operation.
	response = h.callAPI(http.MethodPost, oauthTestManage, "Bearer "+token, "")
	require.Equal(t, http.StatusForbidden, response.status, "body: %s", response.body)
	assert.Equal(t, "E0000006", response.json(t)["errorCode"])
	assert.Contains(t, response.header.Get("WWW-Authenticate"), `error="insufficient_scope"`)

	h.clock.Advance(time.Hour)
	response = h.callAPI(http.MethodGet, oauthTestReadPath, "Bearer "+token, "")
	require.Equal(t, http.StatusUnauthorized, response.status, "body: %s", response.body)
	assert.Equal(t, "E0000011", response.json(t)["errorCode"])
	assert.Contains(t, response.header.Get("WWW-Authenticate"), `error="invalid_token"`)

	assert.Equal(t, 1, h.server.TokenRequests())
	assert.Equal(t, 1, h.server.IssuedTokens())
}

func TestServerRevokeTokens(t *testing.T) {
	t.Parallel()

	key := oauthTestECKey(t)
	h := newServerHarness(t)
	h.register(OAuthClient{ClientID: oauthTestClientID, Keys: []jose.JSONWebKey{{Key: &key.PublicKey}}, Scopes: []string{oauthScopeRead}})

	assertion := oauthTestSign(t, key, jose.ES256, "", "", h.assertionClaims())
	token := requireToken(t, h.postToken(h.assertionForm(assertion, oauthScopeRead), nil), "Bearer", oauthScopeRead)
	h.server.RevokeTokens()

	response := h.callAPI(http.MethodGet, oauthTestReadPath, "Bearer "+token, "")
	require.Equal(t, http.StatusUnauthorized, response.status, "body: %s", response.body)
	assert.Equal(t, "E0000011", response.json(t)["errorCode"])
}

func TestServerDPoPToken(t *testing.T) {
	t.Parallel()

	clientKey := oauthTestRSAKey(t, 0)
	dpopKey := oauthTestECKey(t)
	h := newServerHarness(t)
	h.register(OAuthClient{
		ClientID:    oauthTestClientID,
		Keys:        []jose.JSONWebKey{{Key: &clientKey.PublicKey}},
		Scopes:      []string{oauthScopeRead},
		RequireDPoP: true,
	})
	token, _ := h.dpopToken(clientKey, dpopKey, oauthScopeRead)
	uri := h.baseURL + oauthTestReadPath

	response := h.callAPI(http.MethodGet, oauthTestReadPath, "DPoP "+token, h.proof(dpopKey, http.MethodGet, uri, token, "", nil))
	assert.Equal(t, http.StatusOK, response.status, "WWW-Authenticate: %s", response.header.Get("WWW-Authenticate"))

	response = h.callAPI(http.MethodGet, oauthTestReadPath, "Bearer "+token, "")
	assert.Equal(t, http.StatusBadRequest, response.status)
	assert.Contains(t, response.header.Get("WWW-Authenticate"), `error="invalid_request"`)

	h.server.RequireResourceDPoPNonce(true)
	response = h.callAPI(http.MethodGet, oauthTestReadPath, "DPoP "+token, h.proof(dpopKey, http.MethodGet, uri, token, "", nil))
	require.Equal(t, http.StatusUnauthorized, response.status)
	nonce := response.header.Get("DPoP-Nonce")
	require.NotEmpty(t, nonce)

	response = h.callAPI(http.MethodGet, oauthTestReadPath, "DPoP "+token, h.proof(dpopKey, http.MethodGet, uri, token, nonce, nil))
	assert.Equal(t, http.StatusOK, response.status, "WWW-Authenticate: %s", response.header.Get("WWW-Authenticate"))
}
