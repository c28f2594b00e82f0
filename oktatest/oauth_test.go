package oktatest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests in this file run the authorization server behind its own mux: the
// token endpoint, and two API routes that call authenticate with the read and
// the manage scope. They sign every assertion and proof themselves with
// go-jose.

const (
	oauthTestClientID = "0oaTestClient"
	oauthTestReadPath = "/api/v1/agentPools"
	oauthTestManage   = "/api/v1/agentPools/pool1/updates"
)

// oauthTestStart is the fake clock's time when a test starts.
var oauthTestStart = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// oauthTestRSAKeys are two RSA keys shared by the tests, as generating them
// takes tens of milliseconds each.
var oauthTestRSAKeys = sync.OnceValues(func() ([2]*rsa.PrivateKey, error) {
	var keys [2]*rsa.PrivateKey
	for i := range keys {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return keys, err
		}
		keys[i] = key
	}
	return keys, nil
})

func oauthTestRSAKey(t *testing.T, i int) *rsa.PrivateKey {
	t.Helper()

	keys, err := oauthTestRSAKeys()
	require.NoError(t, err)
	return keys[i]
}

func oauthTestECKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return key
}

// oauthTestClock is a settable clock, safe for concurrent use.
type oauthTestClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *oauthTestClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()

	return c.now
}

func (c *oauthTestClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()

	c.now = c.now.Add(d)
}

// oauthHarness is an authorization server behind an HTTP server on
// 127.0.0.1, with the clock it reads.
type oauthHarness struct {
	t        *testing.T
	clock    *oauthTestClock
	auth     *authServer
	server   *Server // only its OAuth controls, unless from newServerHarness
	client   *http.Client
	baseURL  string
	tokenURL string
}

func newOAuthHarness(t *testing.T) *oauthHarness {
	t.Helper()

	clock := &oauthTestClock{now: oauthTestStart}
	auth := newAuthServer(clock.Now)

	mux := http.NewServeMux()
	mux.HandleFunc(oauthTokenPath, auth.serveToken)
	mux.HandleFunc("GET "+oauthTestReadPath, oauthTestAPIHandler(auth, oauthScopeRead))
	mux.HandleFunc("POST "+oauthTestManage, oauthTestAPIHandler(auth, oauthScopeManage))
	server := httptest.NewServer(mux)
	t.Cleanup(server.Close)

	return &oauthHarness{
		t:        t,
		clock:    clock,
		auth:     auth,
		server:   &Server{oauth: auth},
		client:   server.Client(),
		baseURL:  server.URL,
		tokenURL: server.URL + oauthTokenPath,
	}
}

// oauthTestAPIHandler responds 200 when authenticate grants scope, and
// otherwise writes the failure as the API server should.
func oauthTestAPIHandler(auth *authServer, scope string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		failure := auth.authenticate(r, scope)
		if failure == nil {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, "{}")
			return
		}

		if failure.WWWAuthenticate != "" {
			w.Header().Set("WWW-Authenticate", failure.WWWAuthenticate)
		}
		if failure.DPoPNonce != "" {
			w.Header().Set("DPoP-Nonce", failure.DPoPNonce)
		}
		if failure.ErrorCode == "" {
			w.WriteHeader(failure.Status)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(failure.Status)
		_ = json.NewEncoder(w).Encode(map[string]any{"errorCode": failure.ErrorCode, "errorSummary": failure.ErrorSummary})
	}
}

// register registers a client and fails the test on error.
func (h *oauthHarness) register(c OAuthClient) {
	h.t.Helper()

	require.NoError(h.t, h.server.RegisterClient(c))
}

// registerKeyClient registers oauthTestClientID with one public key and the
// given scopes.
func (h *oauthHarness) registerKeyClient(public crypto.PublicKey, kid string, scopes ...string) {
	h.t.Helper()

	h.register(OAuthClient{
		ClientID: oauthTestClientID,
		Keys:     []jose.JSONWebKey{{Key: public, KeyID: kid}},
		Scopes:   scopes,
	})
}

// assertionClaims returns valid claims of a client assertion at the fake's
// current time.
func (h *oauthHarness) assertionClaims() map[string]any {
	now := h.clock.Now()
	return map[string]any{
		"iss": oauthTestClientID,
		"sub": oauthTestClientID,
		"aud": h.tokenURL,
		"iat": now.Unix(),
		"exp": now.Add(5 * time.Minute).Unix(),
		"jti": oauthRandom(16),
	}
}

// oauthTestSign returns a compact JWS of claims signed with key and alg, with
// a kid and typ header when they are not empty.
func oauthTestSign(t *testing.T, key any, alg jose.SignatureAlgorithm, kid, typ string, claims map[string]any) string {
	t.Helper()

	options := &jose.SignerOptions{}
	if kid != "" {
		options.WithHeader(jose.HeaderKey("kid"), kid)
	}
	if typ != "" {
		options.WithType(jose.ContentType(typ))
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, options)
	require.NoError(t, err)

	payload, err := json.Marshal(claims)
	require.NoError(t, err)
	signed, err := signer.Sign(payload)
	require.NoError(t, err)
	compact, err := signed.CompactSerialize()
	require.NoError(t, err)
	return compact
}

// oauthTestSignRaw builds a compact JWS from a header and claims it encodes
// itself, signed with ES256, for headers go-jose will not produce.
func oauthTestSignRaw(t *testing.T, key *ecdsa.PrivateKey, header, claims any) string {
	t.Helper()

	headerJSON, err := json.Marshal(header)
	require.NoError(t, err)
	claimsJSON, err := json.Marshal(claims)
	require.NoError(t, err)
	input := base64.RawURLEncoding.EncodeToString(headerJSON) + "." + base64.RawURLEncoding.EncodeToString(claimsJSON)

	digest := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, key, digest[:])
	require.NoError(t, err)
	signature := make([]byte, 64)
	r.FillBytes(signature[:32])
	s.FillBytes(signature[32:])
	return input + "." + base64.RawURLEncoding.EncodeToString(signature)
}

// assertionForm returns the form of a client credentials request with a
// client assertion.
func (h *oauthHarness) assertionForm(assertion, scope string) url.Values {
	return url.Values{
		"grant_type":            {"client_credentials"},
		"scope":                 {scope},
		"client_assertion_type": {oauthAssertionType},
		"client_assertion":      {assertion},
	}
}

// signedForm returns the form of a token request with a fresh RS256
// assertion signed by key.
func (h *oauthHarness) signedForm(key *rsa.PrivateKey, scope string) url.Values {
	h.t.Helper()

	return h.assertionForm(oauthTestSign(h.t, key, jose.RS256, "", "", h.assertionClaims()), scope)
}

// oauthTestResponse is a response with its body read.
type oauthTestResponse struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body as a JSON object.
func (r oauthTestResponse) json(t *testing.T) map[string]any {
	t.Helper()

	var object map[string]any
	require.NoError(t, json.Unmarshal(r.body, &object), "body: %s", r.body)
	return object
}

// do sends a request to the harness server.
func (h *oauthHarness) do(request *http.Request) oauthTestResponse {
	h.t.Helper()

	response, err := h.client.Do(request)
	require.NoError(h.t, err)
	defer response.Body.Close()

	body, err := io.ReadAll(response.Body)
	require.NoError(h.t, err)
	return oauthTestResponse{status: response.StatusCode, header: response.Header, body: body}
}

// postToken posts form to the token endpoint with the given extra headers.
func (h *oauthHarness) postToken(form url.Values, headers map[string]string) oauthTestResponse {
	h.t.Helper()

	request, err := http.NewRequest(http.MethodPost, h.tokenURL, strings.NewReader(form.Encode()))
	require.NoError(h.t, err)
	request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for name, value := range headers {
		request.Header.Set(name, value)
	}
	return h.do(request)
}

// requireTokenError checks an OAuth error response and returns its
// description.
func requireTokenError(t *testing.T, response oauthTestResponse, status int, code string) string {
	t.Helper()

	require.Equal(t, status, response.status, "body: %s", response.body)
	body := response.json(t)
	require.Equal(t, code, body["error"], "body: %s", response.body)
	description, _ := body["error_description"].(string)
	return description
}

// requireToken checks a successful token response and returns the access
// token.
func requireToken(t *testing.T, response oauthTestResponse, tokenType, scope string) string {
	t.Helper()

	require.Equal(t, http.StatusOK, response.status, "body: %s", response.body)
	body := response.json(t)
	assert.Equal(t, tokenType, body["token_type"])
	assert.Equal(t, 3600.0, body["expires_in"])
	assert.Equal(t, scope, body["scope"])
	assert.Equal(t, "no-store", response.header.Get("Cache-Control"))
	token, _ := body["access_token"].(string)
	require.NotEmpty(t, token)
	return token
}

// callAPI sends an API request with the given Authorization and DPoP headers
// (each omitted when empty).
func (h *oauthHarness) callAPI(method, path, authorization, proof string) oauthTestResponse {
	h.t.Helper()

	request, err := http.NewRequest(method, h.baseURL+path, nil)
	require.NoError(h.t, err)
	if authorization != "" {
		request.Header.Set("Authorization", authorization)
	}
	if proof != "" {
		request.Header.Set("DPoP", proof)
	}
	return h.do(request)
}

// proof returns a DPoP proof signed with key for method and uri; token, when
// not empty, sets ath, and nonce, when not empty, sets nonce. edit may change
// the claims.
func (h *oauthHarness) proof(key *ecdsa.PrivateKey, method, uri, token, nonce string, edit func(map[string]any)) string {
	h.t.Helper()

	claims := map[string]any{
		"jti": oauthRandom(16),
		"htm": method,
		"htu": uri,
		"iat": h.clock.Now().Unix(),
	}
	if token != "" {
		digest := sha256.Sum256([]byte(token))
		claims["ath"] = base64.RawURLEncoding.EncodeToString(digest[:])
	}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	if edit != nil {
		edit(claims)
	}

	options := (&jose.SignerOptions{EmbedJWK: true}).WithType("dpop+jwt")
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, options)
	require.NoError(h.t, err)
	payload, err := json.Marshal(claims)
	require.NoError(h.t, err)
	signed, err := signer.Sign(payload)
	require.NoError(h.t, err)
	compact, err := signed.CompactSerialize()
	require.NoError(h.t, err)
	return compact
}

// dpopToken runs the nonce exchange with a client assertion signed by
// clientKey and a proof signed by dpopKey, and returns the DPoP-bound token
// and the nonce.
func (h *oauthHarness) dpopToken(clientKey *rsa.PrivateKey, dpopKey *ecdsa.PrivateKey, scope string) (token, nonce string) {
	h.t.Helper()

	first := h.postToken(h.signedForm(clientKey, scope), map[string]string{
		"DPoP": h.proof(dpopKey, http.MethodPost, h.tokenURL, "", "", nil),
	})
	requireTokenError(h.t, first, http.StatusBadRequest, "use_dpop_nonce")
	nonce = first.header.Get("DPoP-Nonce")
	require.NotEmpty(h.t, nonce)

	second := h.postToken(h.signedForm(clientKey, scope), map[string]string{
		"DPoP": h.proof(dpopKey, http.MethodPost, h.tokenURL, "", nonce, nil),
	})
	return requireToken(h.t, second, "DPoP", scope), nonce
}

func TestTokenPrivateKeyJWT(t *testing.T) {
	t.Parallel()

	rsaKey := oauthTestRSAKey(t, 0)
	ecKey := oauthTestECKey(t)
	for _, tc := range []struct {
		name   string
		key    any
		public crypto.PublicKey
		alg    jose.SignatureAlgorithm
	}{
		{"RS256", rsaKey, &rsaKey.PublicKey, jose.RS256},
		{"RS512", rsaKey, &rsaKey.PublicKey, jose.RS512},
		{"ES256", ecKey, &ecKey.PublicKey, jose.ES256},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			h := newOAuthHarness(t)
			h.registerKeyClient(tc.public, "key1", oauthScopeRead)

			assertion := oauthTestSign(t, tc.key, tc.alg, "key1", "JWT", h.assertionClaims())
			form := h.assertionForm(assertion, oauthScopeRead)
			form.Set("client_id", oauthTestClientID)
			token := requireToken(t, h.postToken(form, nil), "Bearer", oauthScopeRead)

			response := h.callAPI(http.MethodGet, oauthTestReadPath, "Bearer "+token, "")
			assert.Equal(t, http.StatusOK, response.status, "body: %s", response.body)
		})
	}
}

func TestTokenAssertionRejected(t *testing.T) {
	t.Parallel()

	clientKey := oauthTestRSAKey(t, 0)
	otherKey := oauthTestRSAKey(t, 1)
	for _, tc := range []struct {
		name        string
		assertion   func(h *oauthHarness) string
		description string
	}{
		{
			name: "wrong key",
			assertion: func(h *oauthHarness) string {
				return oauthTestSign(t, otherKey, jose.RS256, "", "", h.assertionClaims())
			},
			description: "The client_assertion signature is invalid.",
		},
		{
			name: "wrong audience",
			assertion: func(h *oauthHarness) string {
				claims := h.assertionClaims()
				claims["aud"] = h.baseURL + "/oauth2/default/v1/token"
				return oauthTestSign(t, clientKey, jose.RS256, "", "", claims)
			},
			description: "The audience claim for client_assertion must be the endpoint invoked for the request.",
		},
		{
			name: "expired",
			assertion: func(h *oauthHarness) string {
				claims := h.assertionClaims()
				claims["iat"] = h.clock.Now().Add(-10 * time.Minute).Unix()
				claims["exp"] = h.clock.Now().Add(-time.Second).Unix()
				return oauthTestSign(t, clientKey, jose.RS256, "", "", claims)
			},
			description: "The client_assertion token is expired.",
		},
		{
			name: "exp more than an hour ahead",
			assertion: func(h *oauthHarness) string {
				claims := h.assertionClaims()
				delete(claims, "iat")
				claims["exp"] = h.clock.Now().Add(2 * time.Hour).Unix()
				return oauthTestSign(t, clientKey, jose.RS256, "", "", claims)
			},
			description: "The client_assertion token has an expiration too far into the future.",
		},
		{
			name: "exp more than an hour after iat",
			assertion: func(h *oauthHarness) string {
				claims := h.assertionClaims()
				claims["iat"] = h.clock.Now().Add(-30 * time.Minute).Unix()
				claims["exp"] = h.clock.Now().Add(45 * time.Minute).Unix()
				return oauthTestSign(t, clientKey, jose.RS256, "", "", claims)
			},
			description: "The client_assertion token has an expiration more than one hour after its issue time.",
		},
		{
			name: "iat in the future",
			assertion: func(h *oauthHarness) string {
				claims := h.assertionClaims()
				claims["iat"] = h.clock.Now().Add(5 * time.Minute).Unix()
				claims["exp"] = h.clock.Now().Add(10 * time.Minute).Unix()
				return oauthTestSign(t, clientKey, jose.RS256, "", "", claims)
			},
			description: "The client_assertion token must be issued before the current time.",
		},
		{
			name: "missing exp",
			assertion: func(h *oauthHarness) string {
				claims := h.assertionClaims()
				delete(claims, "exp")
				return oauthTestSign(t, clientKey, jose.RS256, "", "", claims)
			},
			description: "The client_assertion 'exp' claim is missing.",
		},
		{
			name: "missing jti",
			assertion: func(h *oauthHarness) string {
				claims := h.assertionClaims()
				delete(claims, "jti")
				return oauthTestSign(t, clientKey, jose.RS256, "", "", claims)
			},
			description: "The client_assertion 'jti' claim is missing; set a unique value for every assertion.",
		},
		{
			name: "iss is not the client",
			assertion: func(h *oauthHarness) string {
				claims := h.assertionClaims()
				claims["iss"] = "0oaSomeoneElse"
				return oauthTestSign(t, clientKey, jose.RS256, "", "", claims)
			},
			description: "The client_assertion 'iss' claim must be the client ID.",
		},
		{
			name: "unknown client",
			assertion: func(h *oauthHarness) string {
				claims := h.assertionClaims()
				claims["iss"] = "0oaUnknown"
				claims["sub"] = "0oaUnknown"
				return oauthTestSign(t, clientKey, jose.RS256, "", "", claims)
			},
			description: oauthClientAuthFailed,
		},
		{
			name: "unknown kid",
			assertion: func(h *oauthHarness) string {
				return oauthTestSign(t, clientKey, jose.RS256, "other", "", h.assertionClaims())
			},
			description: "The client_assertion JWT kid is invalid.",
		},
		{
			name: "alg none",
			assertion: func(h *oauthHarness) string {
				header, err := json.Marshal(map[string]string{"alg": "none", "typ": "JWT"})
				require.NoError(t, err)
				claims, err := json.Marshal(h.assertionClaims())
				require.NoError(t, err)
				return base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(claims) + "."
			},
			description: `The client_assertion JWT alg "none" is not supported; use RS256, RS384, RS512, ES256, ES384 or ES512.`,
		},
		{
			name: "alg HS256",
			assertion: func(h *oauthHarness) string {
				secret := []byte("a shared secret of thirty-two by")
				return oauthTestSign(t, secret, jose.HS256, "", "", h.assertionClaims())
			},
			description: `The client_assertion JWT alg "HS256" is not supported; use RS256, RS384, RS512, ES256, ES384 or ES512.`,
		},
		{
			name: "not a JWT",
			assertion: func(*oauthHarness) string {
				return "not-a-jwt"
			},
			description: "The client_assertion is not a valid JWT.",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			h := newOAuthHarness(t)
			h.registerKeyClient(&clientKey.PublicKey, "key1", oauthScopeRead)

			response := h.postToken(h.assertionForm(tc.assertion(h), oauthScopeRead), nil)
			description := requireTokenError(t, response, http.StatusUnauthorized, "invalid_client")
			assert.Equal(t, tc.description, description)
			assert.Empty(t, response.header.Get("WWW-Authenticate"))
			assert.Zero(t, h.server.IssuedTokens())
		})
	}
}

func TestTokenAssertionFormErrors(t *testing.T) {
	t.Parallel()

	key := oauthTestRSAKey(t, 0)
	h := newOAuthHarness(t)
	h.registerKeyClient(&key.PublicKey, "", oauthScopeRead)

	form := h.signedForm(key, oauthScopeRead)
	form.Set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer")
	description := requireTokenError(t, h.postToken(form, nil), http.StatusUnauthorized, "invalid_client")
	assert.Equal(t, "The client_assertion_type is invalid.", description)

	form = h.signedForm(key, oauthScopeRead)
	form.Set("client_id", "0oaSomeoneElse")
	description = requireTokenError(t, h.postToken(form, nil), http.StatusUnauthorized, "invalid_client")
	assert.Equal(t, "The client_id parameter does not match the 'sub' claim of the client_assertion.", description)

	form = h.signedForm(key, oauthScopeRead)
	form.Set("client_secret", "secret")
	description = requireTokenError(t, h.postToken(form, nil), http.StatusBadRequest, "invalid_request")
	assert.Contains(t, description, "more than one client authentication method")
}

func TestTokenAssertionReplay(t *testing.T) {
	t.Parallel()

	key := oauthTestRSAKey(t, 0)
	h := newOAuthHarness(t)
	h.registerKeyClient(&key.PublicKey, "", oauthScopeRead)

	form := h.signedForm(key, oauthScopeRead)
	requireToken(t, h.postToken(form, nil), "Bearer", oauthScopeRead)

	description := requireTokenError(t, h.postToken(form, nil), http.StatusUnauthorized, "invalid_client")
	assert.Contains(t, description, "already been used")

	// The jti is remembered until the assertion expires, so even after four
	// minutes the replay is rejected.
	h.clock.Advance(4 * time.Minute)
	description = requireTokenError(t, h.postToken(form, nil), http.StatusUnauthorized, "invalid_client")
	assert.Contains(t, description, "already been used")
	assert.Equal(t, 1, h.server.IssuedTokens())
}

func TestTokenAssertionKeySelection(t *testing.T) {
	t.Parallel()

	first := oauthTestRSAKey(t, 0)
	second := oauthTestECKey(t)
	h := newOAuthHarness(t)
	h.register(OAuthClient{
		ClientID: oauthTestClientID,
		Keys: []jose.JSONWebKey{
			{Key: &first.PublicKey, KeyID: "rsa-1"},
			{Key: &second.PublicKey, KeyID: "ec-1"},
		},
		Scopes: []string{oauthScopeRead},
	})

	assertion := oauthTestSign(t, second, jose.ES256, "ec-1", "", h.assertionClaims())
	requireToken(t, h.postToken(h.assertionForm(assertion, oauthScopeRead), nil), "Bearer", oauthScopeRead)

	// The kid selects the key: the RSA key cannot verify an ES256 signature.
	assertion = oauthTestSign(t, second, jose.ES256, "rsa-1", "", h.assertionClaims())
	description := requireTokenError(t, h.postToken(h.assertionForm(assertion, oauthScopeRead), nil), http.StatusUnauthorized, "invalid_client")
	assert.Equal(t, "The client_assertion signature is invalid.", description)

	// With two keys, Okta requires a kid.
	assertion = oauthTestSign(t, first, jose.RS256, "", "", h.assertionClaims())
	description = requireTokenError(t, h.postToken(h.assertionForm(assertion, oauthScopeRead), nil), http.StatusUnauthorized, "invalid_client")
	assert.Equal(t, "The client_assertion JWT kid is invalid.", description)
}

func TestTokenClientSecret(t *testing.T) {
	t.Parallel()

	const secret = "s3cret:with/special&chars"
	h := newOAuthHarness(t)
	h.register(OAuthClient{ClientID: "0oaSecretClient", Secret: secret, Scopes: []string{oauthScopeRead, oauthScopeManage}})

	basic := func(id, password string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(password)))
	}
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {oauthScopeRead + " " + oauthScopeManage}}

	t.Run("basic", func(t *testing.T) {
		response := h.postToken(form, map[string]string{"Authorization": basic("0oaSecretClient", secret)})
		requireToken(t, response, "Bearer", oauthScopeRead+" "+oauthScopeManage)
	})

	t.Run("post", func(t *testing.T) {
		postForm := url.Values{"client_id": {"0oaSecretClient"}, "client_secret": {secret}}
		for name, values := range form {
			postForm[name] = values
		}
		requireToken(t, h.postToken(postForm, nil), "Bearer", oauthScopeRead+" "+oauthScopeManage)
	})

	t.Run("basic wrong secret", func(t *testing.T) {
		response := h.postToken(form, map[string]string{"Authorization": basic("0oaSecretClient", "wrong")})
		description := requireTokenError(t, response, http.StatusUnauthorized, "invalid_client")
		assert.Equal(t, "The client secret supplied for a confidential client is invalid.", description)
		assert.True(t, strings.HasPrefix(response.header.Get("WWW-Authenticate"), "Basic "), "WWW-Authenticate: %q", response.header.Get("WWW-Authenticate"))
		assert.NotContains(t, string(response.body), "wrong")
	})

	t.Run("basic unknown client", func(t *testing.T) {
		response := h.postToken(form, map[string]string{"Authorization": basic("0oaUnknown", secret)})
		description := requireTokenError(t, response, http.StatusUnauthorized, "invalid_client")
		assert.Equal(t, oauthClientAuthFailed, description)
		assert.True(t, strings.HasPrefix(response.header.Get("WWW-Authenticate"), "Basic "))
	})

	t.Run("post wrong secret", func(t *testing.T) {
		postForm := url.Values{"client_id": {"0oaSecretClient"}, "client_secret": {"wrong"}, "grant_type": {"client_credentials"}, "scope": {oauthScopeRead}}
		response := h.postToken(postForm, nil)
		requireTokenError(t, response, http.StatusUnauthorized, "invalid_client")
		assert.Empty(t, response.header.Get("WWW-Authenticate"))
	})

	t.Run("no credentials", func(t *testing.T) {
		postForm := url.Values{"client_id": {"0oaSecretClient"}, "grant_type": {"client_credentials"}, "scope": {oauthScopeRead}}
		description := requireTokenError(t, h.postToken(postForm, nil), http.StatusUnauthorized, "invalid_client")
		assert.Equal(t, oauthClientAuthFailed, description)
	})
}

func TestTokenSecretForKeyClient(t *testing.T) {
	t.Parallel()

	key := oauthTestRSAKey(t, 0)
	h := newOAuthHarness(t)
	h.registerKeyClient(&key.PublicKey, "", oauthScopeRead)

	form := url.Values{"client_id": {oauthTestClientID}, "client_secret": {"anything"}, "grant_type": {"client_credentials"}, "scope": {oauthScopeRead}}
	description := requireTokenError(t, h.postToken(form, nil), http.StatusUnauthorized, "invalid_client")
	assert.Equal(t, "Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.", description)
}

func TestTokenGrantAndScope(t *testing.T) {
	t.Parallel()

	key := oauthTestRSAKey(t, 0)
	h := newOAuthHarness(t)
	h.registerKeyClient(&key.PublicKey, "", oauthScopeRead)

	form := h.signedForm(key, oauthScopeRead)
	form.Set("grant_type", "password")
	requireTokenError(t, h.postToken(form, nil), http.StatusBadRequest, "unsupported_grant_type")

	form = h.signedForm(key, oauthScopeRead)
	form.Del("grant_type")
	requireTokenError(t, h.postToken(form, nil), http.StatusBadRequest, "invalid_request")

	form = h.signedForm(key, "")
	description := requireTokenError(t, h.postToken(form, nil), http.StatusBadRequest, "invalid_scope")
	assert.Contains(t, description, "'scope' must be provided")

	form = h.signedForm(key, "okta.users.read")
	description = requireTokenError(t, h.postToken(form, nil), http.StatusBadRequest, "invalid_scope")
	assert.Equal(t, "One or more scopes are not configured for the authorization server resource.", description)

	form = h.signedForm(key, oauthScopeRead+" "+oauthScopeManage)
	description = requireTokenError(t, h.postToken(form, nil), http.StatusBadRequest, "invalid_scope")
	assert.Contains(t, description, oauthScopeManage)

	assert.Zero(t, h.server.IssuedTokens())
	assert.Equal(t, 5, h.server.TokenRequests())
}

func TestTokenRequestShape(t *testing.T) {
	t.Parallel()

	h := newOAuthHarness(t)

	request, err := http.NewRequest(http.MethodGet, h.tokenURL, nil)
	require.NoError(t, err)
	response := h.do(request)
	assert.Equal(t, http.StatusMethodNotAllowed, response.status)
	assert.Equal(t, http.MethodPost, response.header.Get("Allow"))

	request, err = http.NewRequest(http.MethodPost, h.tokenURL, strings.NewReader(`{"grant_type":"client_credentials"}`))
	require.NoError(t, err)
	request.Header.Set("Content-Type", "application/json")
	requireTokenError(t, h.do(request), http.StatusBadRequest, "invalid_request")

	form := url.Values{"grant_type": {"client_credentials", "client_credentials"}}
	description := requireTokenError(t, h.postToken(form, nil), http.StatusBadRequest, "invalid_request")
	assert.Contains(t, description, "grant_type")
}

func TestTokenDPoPNonce(t *testing.T) {
	t.Parallel()

	clientKey := oauthTestRSAKey(t, 0)
	dpopKey := oauthTestECKey(t)
	h := newOAuthHarness(t)
	h.registerKeyClient(&clientKey.PublicKey, "", oauthScopeRead)

	first := h.postToken(h.signedForm(clientKey, oauthScopeRead), map[string]string{
		"DPoP": h.proof(dpopKey, http.MethodPost, h.tokenURL, "", "", nil),
	})
	description := requireTokenError(t, first, http.StatusBadRequest, "use_dpop_nonce")
	assert.Equal(t, "Authorization server requires nonce in DPoP proof.", description)
	nonce := first.header.Get("DPoP-Nonce")
	require.NotEmpty(t, nonce)

	second := h.postToken(h.signedForm(clientKey, oauthScopeRead), map[string]string{
		"DPoP": h.proof(dpopKey, http.MethodPost, h.tokenURL, "", nonce, nil),
	})
	token := requireToken(t, second, "DPoP", oauthScopeRead)

	uri := h.baseURL + oauthTestReadPath
	response := h.callAPI(http.MethodGet, oauthTestReadPath, "DPoP "+token, h.proof(dpopKey, http.MethodGet, uri, token, "", nil))
	assert.Equal(t, http.StatusOK, response.status, "WWW-Authenticate: %s", response.header.Get("WWW-Authenticate"))

	// The query string is not part of htu.
	response = h.callAPI(http.MethodGet, oauthTestReadPath+"?limitPerPoolType=5", "DPoP "+token, h.proof(dpopKey, http.MethodGet, uri, token, "", nil))
	assert.Equal(t, http.StatusOK, response.status, "WWW-Authenticate: %s", response.header.Get("WWW-Authenticate"))

	log := h.server.TokenRequestLog()
	require.Len(t, log, 2)
	assert.True(t, log[0].DPoP)
	assert.Equal(t, "use_dpop_nonce", log[0].Error)
	assert.Equal(t, http.StatusOK, log[1].Status)
	assert.Equal(t, "private_key_jwt", log[1].AuthMethod)
	assert.Equal(t, oauthTestClientID, log[1].ClientID)
}

func TestTokenDPoPNonceExpiry(t *testing.T) {
	t.Parallel()

	clientKey := oauthTestRSAKey(t, 0)
	dpopKey := oauthTestECKey(t)
	h := newOAuthHarness(t)
	h.registerKeyClient(&clientKey.PublicKey, "", oauthScopeRead)
	_, nonce := h.dpopToken(clientKey, dpopKey, oauthScopeRead)

	// Within its lifetime the nonce is accepted again.
	h.clock.Advance(dpopNonceLifetime / 2)
	response := h.postToken(h.signedForm(clientKey, oauthScopeRead), map[string]string{
		"DPoP": h.proof(dpopKey, http.MethodPost, h.tokenURL, "", nonce, nil),
	})
	requireToken(t, response, "DPoP", oauthScopeRead)

	h.clock.Advance(dpopNonceLifetime / 2)
	response = h.postToken(h.signedForm(clientKey, oauthScopeRead), map[string]string{
		"DPoP": h.proof(dpopKey, http.MethodPost, h.tokenURL, "", nonce, nil),
	})
	requireTokenError(t, response, http.StatusBadRequest, "use_dpop_nonce")
	assert.NotEqual(t, nonce, response.header.Get("DPoP-Nonce"))

	// Rotating invalidates the nonce just handed out.
	fresh := response.header.Get("DPoP-Nonce")
	h.server.RotateDPoPNonces()
	response = h.postToken(h.signedForm(clientKey, oauthScopeRead), map[string]string{
		"DPoP": h.proof(dpopKey, http.MethodPost, h.tokenURL, "", fresh, nil),
	})
	requireTokenError(t, response, http.StatusBadRequest, "use_dpop_nonce")
}

func TestTokenDPoPRequired(t *testing.T) {
	t.Parallel()

	key := oauthTestRSAKey(t, 0)
	h := newOAuthHarness(t)
	h.register(OAuthClient{
		ClientID:    oauthTestClientID,
		Keys:        []jose.JSONWebKey{{Key: &key.PublicKey}},
		Scopes:      []string{oauthScopeRead},
		RequireDPoP: true,
	})

	description := requireTokenError(t, h.postToken(h.signedForm(key, oauthScopeRead), nil), http.StatusBadRequest, "invalid_dpop_proof")
	assert.Equal(t, "The DPoP proof JWT header is missing.", description)

	token, _ := h.dpopToken(key, oauthTestECKey(t), oauthScopeRead)
	assert.NotEmpty(t, token)
}

func TestTokenDPoPProofRejected(t *testing.T) {
	t.Parallel()

	clientKey := oauthTestRSAKey(t, 0)
	dpopKey := oauthTestECKey(t)
	otherKey := oauthTestECKey(t)
	for _, tc := range []struct {
		name        string
		proof       func(h *oauthHarness, nonce string) string
		description string
	}{
		{
			name: "wrong typ",
			proof: func(h *oauthHarness, nonce string) string {
				header := map[string]any{"typ": "JWT", "alg": "ES256", "jwk": jose.JSONWebKey{Key: &dpopKey.PublicKey}}
				claims := map[string]any{"jti": "j1", "htm": "POST", "htu": h.tokenURL, "iat": h.clock.Now().Unix(), "nonce": nonce}
				return oauthTestSignRaw(t, dpopKey, header, claims)
			},
			description: `The DPoP proof JWT 'typ' header must be "dpop+jwt".`,
		},
		{
			name: "symmetric alg",
			proof: func(h *oauthHarness, nonce string) string {
				claims := map[string]any{"jti": "j1", "htm": "POST", "htu": h.tokenURL, "iat": h.clock.Now().Unix(), "nonce": nonce}
				return oauthTestSign(t, []byte("a shared secret of thirty-two by"), jose.HS256, "", "dpop+jwt", claims)
			},
			description: "The DPoP proof JWT 'alg' header must be one of RS256, RS384, RS512, ES256, ES384, ES512.",
		},
		{
			name: "private key in jwk",
			proof: func(h *oauthHarness, nonce string) string {
				header := map[string]any{"typ": "dpop+jwt", "alg": "ES256", "jwk": jose.JSONWebKey{Key: dpopKey}}
				claims := map[string]any{"jti": "j1", "htm": "POST", "htu": h.tokenURL, "iat": h.clock.Now().Unix(), "nonce": nonce}
				return oauthTestSignRaw(t, dpopKey, header, claims)
			},
			description: "The DPoP proof JWT 'jwk' header must contain a public key, but it contains a private key.",
		},
		{
			name: "missing jwk",
			proof: func(h *oauthHarness, nonce string) string {
				header := map[string]any{"typ": "dpop+jwt", "alg": "ES256"}
				claims := map[string]any{"jti": "j1", "htm": "POST", "htu": h.tokenURL, "iat": h.clock.Now().Unix(), "nonce": nonce}
				return oauthTestSignRaw(t, dpopKey, header, claims)
			},
			description: "The DPoP proof JWT 'jwk' header is missing.",
		},
		{
			name: "signed by another key",
			proof: func(h *oauthHarness, nonce string) string {
				header := map[string]any{"typ": "dpop+jwt", "alg": "ES256", "jwk": jose.JSONWebKey{Key: &otherKey.PublicKey}}
				claims := map[string]any{"jti": "j1", "htm": "POST", "htu": h.tokenURL, "iat": h.clock.Now().Unix(), "nonce": nonce}
				return oauthTestSignRaw(t, dpopKey, header, claims)
			},
			description: "The DPoP proof JWT signature is invalid.",
		},
		{
			name: "wrong htm",
			proof: func(h *oauthHarness, nonce string) string {
				return h.proof(dpopKey, http.MethodGet, h.tokenURL, "", nonce, nil)
			},
			description: "'htm' claim in the DPoP proof JWT is invalid.",
		},
		{
			name: "wrong htu",
			proof: func(h *oauthHarness, nonce string) string {
				return h.proof(dpopKey, http.MethodPost, h.baseURL+"/oauth2/default/v1/token", "", nonce, nil)
			},
			description: "'htu' claim in the DPoP proof JWT is invalid.",
		},
		{
			name: "old iat",
			proof: func(h *oauthHarness, nonce string) string {
				return h.proof(dpopKey, http.MethodPost, h.tokenURL, "", nonce, func(claims map[string]any) {
					claims["iat"] = h.clock.Now().Add(-6 * time.Minute).Unix()
				})
			},
			description: "The DPoP proof JWT is issued more than five minutes in the past.",
		},
		{
			name: "future iat",
			proof: func(h *oauthHarness, nonce string) string {
				return h.proof(dpopKey, http.MethodPost, h.tokenURL, "", nonce, func(claims map[string]any) {
					claims["iat"] = h.clock.Now().Add(2 * time.Minute).Unix()
				})
			},
			description: "The DPoP proof JWT is issued in the future.",
		},
		{
			name: "missing jti",
			proof: func(h *oauthHarness, nonce string) string {
				return h.proof(dpopKey, http.MethodPost, h.tokenURL, "", nonce, func(claims map[string]any) {
					delete(claims, "jti")
				})
			},
			description: "The DPoP proof JWT 'jti' claim is missing.",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			h := newOAuthHarness(t)
			h.registerKeyClient(&clientKey.PublicKey, "", oauthScopeRead)
			_, nonce := h.dpopToken(clientKey, dpopKey, oauthScopeRead)

			response := h.postToken(h.signedForm(clientKey, oauthScopeRead), map[string]string{"DPoP": tc.proof(h, nonce)})
			description := requireTokenError(t, response, http.StatusBadRequest, "invalid_dpop_proof")
			assert.Equal(t, tc.description, description)
			assert.Equal(t, 1, h.server.IssuedTokens())
		})
	}
}

func TestTokenDPoPProofReplay(t *testing.T) {
	t.Parallel()

	clientKey := oauthTestRSAKey(t, 0)
	dpopKey := oauthTestECKey(t)
	h := newOAuthHarness(t)
	h.registerKeyClient(&clientKey.PublicKey, "", oauthScopeRead)
	_, nonce := h.dpopToken(clientKey, dpopKey, oauthScopeRead)

	proof := h.proof(dpopKey, http.MethodPost, h.tokenURL, "", nonce, nil)
	requireToken(t, h.postToken(h.signedForm(clientKey, oauthScopeRead), map[string]string{"DPoP": proof}), "DPoP", oauthScopeRead)

	response := h.postToken(h.signedForm(clientKey, oauthScopeRead), map[string]string{"DPoP": proof})
	description := requireTokenError(t, response, http.StatusBadRequest, "invalid_dpop_proof")
	assert.Equal(t, "The DPoP proof JWT has already been used.", description)
}

func TestResourceDPoPRejected(t *testing.T) {
	t.Parallel()

	clientKey := oauthTestRSAKey(t, 0)
	dpopKey := oauthTestECKey(t)
	h := newOAuthHarness(t)
	h.registerKeyClient(&clientKey.PublicKey, "", oauthScopeRead)
	token, _ := h.dpopToken(clientKey, dpopKey, oauthScopeRead)
	uri := h.baseURL + oauthTestReadPath

	t.Run("sent as Bearer", func(t *testing.T) {
		response := h.callAPI(http.MethodGet, oauthTestReadPath, "Bearer "+token, "")
		assert.Equal(t, http.StatusBadRequest, response.status)
		assert.Empty(t, response.body)
		challenge := response.header.Get("WWW-Authenticate")
		assert.True(t, strings.HasPrefix(challenge, "Bearer "), "WWW-Authenticate: %q", challenge)
		assert.Contains(t, challenge, `error="invalid_request", error_description="The resource request requires a DPoP proof."`)
	})

	for _, tc := range []struct {
		name        string
		proof       func() string
		description string
	}{
		{
			name:        "missing proof",
			proof:       func() string { return "" },
			description: "The DPoP proof JWT header is missing.",
		},
		{
			name:        "ath mismatch",
			proof:       func() string { return h.proof(dpopKey, http.MethodGet, uri, "another-token", "", nil) },
			description: "'ath' claim in the DPoP proof JWT is invalid.",
		},
		{
			name:        "missing ath",
			proof:       func() string { return h.proof(dpopKey, http.MethodGet, uri, "", "", nil) },
			description: "'ath' claim in the DPoP proof JWT is invalid.",
		},
		{
			name: "htu mismatch",
			proof: func() string {
				return h.proof(dpopKey, http.MethodGet, h.baseURL+"/api/v1/agentPools/other", token, "", nil)
			},
			description: "'htu' claim in the DPoP proof JWT is invalid.",
		},
		{
			name:        "htm mismatch",
			proof:       func() string { return h.proof(dpopKey, http.MethodPost, uri, token, "", nil) },
			description: "'htm' claim in the DPoP proof JWT is invalid.",
		},
		{
			name:        "other key",
			proof:       func() string { return h.proof(oauthTestECKey(t), http.MethodGet, uri, token, "", nil) },
			description: "The DPoP proof JWT key does not match the key the access token is bound to.",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			response := h.callAPI(http.MethodGet, oauthTestReadPath, "DPoP "+token, tc.proof())
			assert.Equal(t, http.StatusBadRequest, response.status)
			assert.Empty(t, response.body)
			challenge := response.header.Get("WWW-Authenticate")
			assert.True(t, strings.HasPrefix(challenge, `DPoP algs="RS256 RS384 RS512 ES256 ES384 ES512", `), "WWW-Authenticate: %q", challenge)
			assert.Contains(t, challenge, `error="invalid_dpop_proof", error_description=`+quoteAuthParam(tc.description))
		})
	}

	t.Run("replay", func(t *testing.T) {
		proof := h.proof(dpopKey, http.MethodGet, uri, token, "", nil)
		response := h.callAPI(http.MethodGet, oauthTestReadPath, "DPoP "+token, proof)
		require.Equal(t, http.StatusOK, response.status)

		response = h.callAPI(http.MethodGet, oauthTestReadPath, "DPoP "+token, proof)
		assert.Equal(t, http.StatusBadRequest, response.status)
		assert.Contains(t, response.header.Get("WWW-Authenticate"), `error_description="The DPoP proof JWT has already been used."`)
	})
}

func TestResourceDPoPNonceOption(t *testing.T) {
	t.Parallel()

	clientKey := oauthTestRSAKey(t, 0)
	dpopKey := oauthTestECKey(t)
	h := newOAuthHarness(t)
	h.registerKeyClient(&clientKey.PublicKey, "", oauthScopeRead)
	token, tokenNonce := h.dpopToken(clientKey, dpopKey, oauthScopeRead)
	uri := h.baseURL + oauthTestReadPath
	h.server.RequireResourceDPoPNonce(true)

	response := h.callAPI(http.MethodGet, oauthTestReadPath, "DPoP "+token, h.proof(dpopKey, http.MethodGet, uri, token, "", nil))
	require.Equal(t, http.StatusUnauthorized, response.status)
	assert.Contains(t, response.header.Get("WWW-Authenticate"), `error="use_dpop_nonce"`)
	nonce := response.header.Get("DPoP-Nonce")
	require.NotEmpty(t, nonce)
	assert.NotEqual(t, tokenNonce, nonce)

	// The token endpoint's nonce is not valid at the API.
	response = h.callAPI(http.MethodGet, oauthTestReadPath, "DPoP "+token, h.proof(dpopKey, http.MethodGet, uri, token, tokenNonce, nil))
	assert.Equal(t, http.StatusUnauthorized, response.status)

	response = h.callAPI(http.MethodGet, oauthTestReadPath, "DPoP "+token, h.proof(dpopKey, http.MethodGet, uri, token, nonce, nil))
	assert.Equal(t, http.StatusOK, response.status, "WWW-Authenticate: %s", response.header.Get("WWW-Authenticate"))

	h.server.RequireResourceDPoPNonce(false)
	response = h.callAPI(http.MethodGet, oauthTestReadPath, "DPoP "+token, h.proof(dpopKey, http.MethodGet, uri, token, "", nil))
	assert.Equal(t, http.StatusOK, response.status)
}

func TestResourceScope(t *testing.T) {
	t.Parallel()

	key := oauthTestRSAKey(t, 0)
	h := newOAuthHarness(t)
	h.registerKeyClient(&key.PublicKey, "", oauthScopeRead, oauthScopeManage)

	token := requireToken(t, h.postToken(h.signedForm(key, oauthScopeRead), nil), "Bearer", oauthScopeRead)
	response := h.callAPI(http.MethodGet, oauthTestReadPath, "Bearer "+token, "")
	assert.Equal(t, http.StatusOK, response.status)

	response = h.callAPI(http.MethodPost, oauthTestManage, "Bearer "+token, "")
	require.Equal(t, http.StatusForbidden, response.status)
	body := response.json(t)
	assert.Equal(t, "E0000006", body["errorCode"])
	assert.Equal(t, "You do not have permission to perform the requested action", body["errorSummary"])
	origin := h.baseURL
	assert.Equal(t,
		`Bearer authorization_uri="`+origin+`/oauth2/v1/authorize", realm="`+origin+`", scope="okta.agentPools.manage", `+
			`error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="`+oauthTestManage+`"`,
		response.header.Get("WWW-Authenticate"))

	// A manage token does not stand in for the read scope.
	token = requireToken(t, h.postToken(h.signedForm(key, oauthScopeManage), nil), "Bearer", oauthScopeManage)
	response = h.callAPI(http.MethodGet, oauthTestReadPath, "Bearer "+token, "")
	assert.Equal(t, http.StatusForbidden, response.status)
}

func TestResourceInvalidToken(t *testing.T) {
	t.Parallel()

	h := newOAuthHarness(t)
	origin := h.baseURL
	for _, tc := range []struct {
		name          string
		authorization string
	}{
		{"missing", ""},
		{"unknown Bearer", "Bearer not-a-token"},
		{"unknown DPoP", "DPoP not-a-token"},
		{"API token", "SSWS 00abc"},
		{"empty Bearer", "Bearer "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			response := h.callAPI(http.MethodGet, oauthTestReadPath, tc.authorization, "")
			require.Equal(t, http.StatusUnauthorized, response.status)
			body := response.json(t)
			assert.Equal(t, "E0000011", body["errorCode"])
			assert.Equal(t, "Invalid token provided", body["errorSummary"])

			scheme := "Bearer "
			if strings.HasPrefix(tc.authorization, "DPoP") {
				scheme = `DPoP algs="RS256 RS384 RS512 ES256 ES384 ES512", `
			}
			assert.Equal(t,
				scheme+`authorization_uri="`+origin+`/oauth2/v1/authorize", realm="`+origin+`", scope="okta.agentPools.read", `+
					`error="invalid_token", error_description="The access token is invalid.", resource="/api/v1/agentPools"`,
				response.header.Get("WWW-Authenticate"))
		})
	}
}

func TestResourceTokenExpiry(t *testing.T) {
	t.Parallel()

	key := oauthTestRSAKey(t, 0)
	h := newOAuthHarness(t)
	h.registerKeyClient(&key.PublicKey, "", oauthScopeRead)

	token := requireToken(t, h.postToken(h.signedForm(key, oauthScopeRead), nil), "Bearer", oauthScopeRead)
	h.clock.Advance(time.Hour - time.Second)
	response := h.callAPI(http.MethodGet, oauthTestReadPath, "Bearer "+token, "")
	assert.Equal(t, http.StatusOK, response.status)

	h.clock.Advance(time.Second)
	response = h.callAPI(http.MethodGet, oauthTestReadPath, "Bearer "+token, "")
	require.Equal(t, http.StatusUnauthorized, response.status)
	assert.Equal(t, "E0000011", response.json(t)["errorCode"])
	assert.Contains(t, response.header.Get("WWW-Authenticate"), `error="invalid_token", error_description="The access token is expired."`)

	h.server.SetTokenLifetime(90 * time.Second)
	response = h.postToken(h.signedForm(key, oauthScopeRead), nil)
	require.Equal(t, http.StatusOK, response.status)
	assert.Equal(t, 90.0, response.json(t)["expires_in"])
	token = response.json(t)["access_token"].(string)
	h.clock.Advance(90 * time.Second)
	response = h.callAPI(http.MethodGet, oauthTestReadPath, "Bearer "+token, "")
	assert.Equal(t, http.StatusUnauthorized, response.status)

	h.server.SetTokenLifetime(0)
	requireToken(t, h.postToken(h.signedForm(key, oauthScopeRead), nil), "Bearer", oauthScopeRead)
}

func TestRevokeTokens(t *testing.T) {
	t.Parallel()

	key := oauthTestRSAKey(t, 0)
	h := newOAuthHarness(t)
	h.registerKeyClient(&key.PublicKey, "", oauthScopeRead)

	token := requireToken(t, h.postToken(h.signedForm(key, oauthScopeRead), nil), "Bearer", oauthScopeRead)
	h.server.RevokeTokens()

	response := h.callAPI(http.MethodGet, oauthTestReadPath, "Bearer "+token, "")
	require.Equal(t, http.StatusUnauthorized, response.status)
	assert.Contains(t, response.header.Get("WWW-Authenticate"), `error="invalid_token", error_description="The access token is invalid."`)
	assert.Equal(t, 1, h.server.IssuedTokens())
}

func TestTokenRequestLog(t *testing.T) {
	t.Parallel()

	key := oauthTestRSAKey(t, 0)
	h := newOAuthHarness(t)
	h.registerKeyClient(&key.PublicKey, "", oauthScopeRead)
	h.register(OAuthClient{ClientID: "0oaSecretClient", Secret: "top-secret", Scopes: []string{oauthScopeRead}})

	requireToken(t, h.postToken(h.signedForm(key, oauthScopeRead), nil), "Bearer", oauthScopeRead)
	form := url.Values{"client_id": {"0oaSecretClient"}, "client_secret": {"wrong-secret"}, "grant_type": {"client_credentials"}, "scope": {oauthScopeRead}}
	requireTokenError(t, h.postToken(form, nil), http.StatusUnauthorized, "invalid_client")

	assert.Equal(t, 2, h.server.TokenRequests())
	assert.Equal(t, 1, h.server.IssuedTokens())
	log := h.server.TokenRequestLog()
	require.Len(t, log, 2)
	assert.Equal(t, TokenRequest{
		Time:       oauthTestStart,
		ClientID:   oauthTestClientID,
		AuthMethod: "private_key_jwt",
		GrantType:  "client_credentials",
		Scopes:     []string{oauthScopeRead},
		Status:     http.StatusOK,
	}, log[0])
	assert.Equal(t, "client_secret_post", log[1].AuthMethod)
	assert.Equal(t, "0oaSecretClient", log[1].ClientID)
	assert.Equal(t, http.StatusUnauthorized, log[1].Status)
	assert.Equal(t, "invalid_client", log[1].Error)
	assert.NotContains(t, log[1].ErrorDescription, "wrong-secret")

	// The log is a copy.
	log[0].Scopes[0] = "changed"
	assert.Equal(t, oauthScopeRead, h.server.TokenRequestLog()[0].Scopes[0])
}

func TestTokenConcurrentRequests(t *testing.T) {
	t.Parallel()

	key := oauthTestRSAKey(t, 0)
	h := newOAuthHarness(t)
	h.registerKeyClient(&key.PublicKey, "", oauthScopeRead)

	const requests = 16
	forms := make([]url.Values, requests)
	for i := range forms {
		forms[i] = h.signedForm(key, oauthScopeRead)
	}
	// Every goroutine sends its own assertion, and one more sends a copy of
	// the first, so exactly one of the two must fail as a replay.
	forms = append(forms, forms[0])

	tokens := make([]string, len(forms))
	statuses := make([]int, len(forms))
	var wg sync.WaitGroup
	for i, form := range forms {
		wg.Go(func() {
			request, err := http.NewRequest(http.MethodPost, h.tokenURL, strings.NewReader(form.Encode()))
			if err != nil {
				return
			}
			request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			response, err := h.client.Do(request)
			if err != nil {
				return
			}
			defer response.Body.Close()

			var body struct {
				AccessToken string `json:"access_token"`
			}
			_ = json.NewDecoder(response.Body).Decode(&body)
			statuses[i] = response.StatusCode
			tokens[i] = body.AccessToken
		})
	}
	wg.Wait()

	ok := 0
	seen := make(map[string]bool)
	for i, status := range statuses {
		if status == http.StatusOK {
			ok++
			assert.False(t, seen[tokens[i]], "token issued twice")
			seen[tokens[i]] = true
		}
	}
	assert.Equal(t, requests, ok)
	assert.Equal(t, requests, h.server.IssuedTokens())
	assert.Equal(t, requests+1, h.server.TokenRequests())
}

func TestRegisterClientRejected(t *testing.T) {
	t.Parallel()

	rsaKey := oauthTestRSAKey(t, 0)
	smallKey, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	p224Key, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	require.NoError(t, err)
	ecKey := oauthTestECKey(t)

	for _, tc := range []struct {
		name   string
		client OAuthClient
		want   string
	}{
		{"no ID", OAuthClient{Secret: "s"}, "ClientID is empty"},
		{"no credentials", OAuthClient{ClientID: "c"}, "no credentials"},
		{"keys and secret", OAuthClient{ClientID: "c", Secret: "s", Keys: []jose.JSONWebKey{{Key: &rsaKey.PublicKey}}}, "both Keys and Secret"},
		{"small RSA key", OAuthClient{ClientID: "c", Keys: []jose.JSONWebKey{{Key: &smallKey.PublicKey}}}, "1024 bits"},
		{"P-224 key", OAuthClient{ClientID: "c", Keys: []jose.JSONWebKey{{Key: &p224Key.PublicKey}}}, "P-224"},
		{"symmetric key", OAuthClient{ClientID: "c", Keys: []jose.JSONWebKey{{Key: []byte("0123456789abcdef0123456789abcdef")}}}, "symmetric"},
		{"alg of another key type", OAuthClient{ClientID: "c", Keys: []jose.JSONWebKey{{Key: &rsaKey.PublicKey, Algorithm: "ES256"}}}, `alg "ES256"`},
		{"duplicate kid", OAuthClient{ClientID: "c", Keys: []jose.JSONWebKey{{Key: &rsaKey.PublicKey, KeyID: "k"}, {Key: &ecKey.PublicKey, KeyID: "k"}}}, `KeyID "k" is used by another key`},
		{"same key twice", OAuthClient{ClientID: "c", Keys: []jose.JSONWebKey{{Key: &rsaKey.PublicKey}, {Key: &rsaKey.PublicKey}}}, "is used by another key"},
		{"unknown scope", OAuthClient{ClientID: "c", Secret: "s", Scopes: []string{"okta.users.read"}}, `unknown scope "okta.users.read"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newOAuthHarness(t)
			err := h.server.RegisterClient(tc.client)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "oktatest: "), err.Error())
		})
	}
}

func TestRegisterClientPrivateKey(t *testing.T) {
	t.Parallel()

	key := oauthTestECKey(t)
	h := newOAuthHarness(t)
	h.register(OAuthClient{ClientID: oauthTestClientID, Keys: []jose.JSONWebKey{{Key: key}}, Scopes: []string{oauthScopeRead}})

	client := h.auth.client(oauthTestClientID)
	require.NotNil(t, client)
	require.Len(t, client.keys, 1)
	assert.True(t, client.keys[0].IsPublic())
	thumbprint, err := client.keys[0].Thumbprint(crypto.SHA256)
	require.NoError(t, err)
	assert.Equal(t, base64.RawURLEncoding.EncodeToString(thumbprint), client.keys[0].KeyID)

	// The assigned kid works, and so does no kid with a single key.
	assertion := oauthTestSign(t, key, jose.ES256, client.keys[0].KeyID, "", h.assertionClaims())
	requireToken(t, h.postToken(h.assertionForm(assertion, oauthScopeRead), nil), "Bearer", oauthScopeRead)
	assertion = oauthTestSign(t, key, jose.ES256, "", "", h.assertionClaims())
	requireToken(t, h.postToken(h.assertionForm(assertion, oauthScopeRead), nil), "Bearer", oauthScopeRead)
}

func TestParseJWKS(t *testing.T) {
	t.Parallel()

	rsaKey := oauthTestRSAKey(t, 0)
	ecKey := oauthTestECKey(t)
	set, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &rsaKey.PublicKey, KeyID: "rsa", Algorithm: "RS256", Use: "sig"},
		{Key: ecKey, KeyID: "ec"},
	}})
	require.NoError(t, err)

	keys, err := ParseJWKS(set)
	require.NoError(t, err)
	require.Len(t, keys, 2)
	assert.Equal(t, "rsa", keys[0].KeyID)
	assert.Equal(t, "ec", keys[1].KeyID)
	assert.True(t, keys[1].IsPublic(), "the private EC key must come back public")

	single, err := json.Marshal(jose.JSONWebKey{Key: &ecKey.PublicKey, KeyID: "one"})
	require.NoError(t, err)
	keys, err = ParseJWKS(single)
	require.NoError(t, err)
	require.Len(t, keys, 1)
	assert.Equal(t, "one", keys[0].KeyID)

	for name, data := range map[string]string{
		"not JSON":  `{`,
		"empty set": `{"keys":[]}`,
		"symmetric": `{"kty":"oct","k":"c2VjcmV0"}`,
	} {
		_, err := ParseJWKS([]byte(data))
		assert.Error(t, err, name)
	}
}

func TestGenerateClientKey(t *testing.T) {
	t.Parallel()

	key, err := GenerateClientKey()
	require.NoError(t, err)

	block, _ := pem.Decode(key.PEM)
	require.NotNil(t, block)
	assert.Equal(t, "PRIVATE KEY", block.Type)
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	require.NoError(t, err)
	private, ok := parsed.(*rsa.PrivateKey)
	require.True(t, ok)
	assert.True(t, private.PublicKey.Equal(key.PublicJWK.Key))
	assert.NotEmpty(t, key.PublicJWK.KeyID)
	assert.Equal(t, "RS256", key.PublicJWK.Algorithm)

	h := newOAuthHarness(t)
	h.register(OAuthClient{ClientID: oauthTestClientID, Keys: []jose.JSONWebKey{key.PublicJWK}, Scopes: []string{oauthScopeRead}})
	assertion := oauthTestSign(t, private, jose.RS256, key.PublicJWK.KeyID, "", h.assertionClaims())
	requireToken(t, h.postToken(h.assertionForm(assertion, oauthScopeRead), nil), "Bearer", oauthScopeRead)
}
