package oktatest

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// The fake org's OAuth 2.0 authorization server is split over these files:
//
//   - oauth.go: the shared state of the authorization server.
//   - oauth_client.go: client registration and the exported controls on Server.
//   - oauth_token.go: the token endpoint and client authentication.
//   - oauth_dpop.go: DPoP proof verification and server nonces (RFC 9449).
//   - oauth_resource.go: the access token check of API requests.

const (
	// oauthTokenPath is the token endpoint of the org authorization server.
	oauthTokenPath = "/oauth2/v1/token"

	// oauthAuthorizePath is the authorize endpoint that Okta names in its
	// WWW-Authenticate challenges. The fake does not serve it.
	oauthAuthorizePath = "/oauth2/v1/authorize"

	// DefaultTokenLifetime is how long an access token issued by the fake
	// stays valid unless Server.SetTokenLifetime changes it. Okta's org
	// authorization server issues access tokens for one hour.
	DefaultTokenLifetime = time.Hour

	// oauthClockSkew is how far in the future an iat or nbf claim may be, and
	// how far past the one-hour limit an exp claim may be, before the fake
	// rejects the JWT.
	oauthClockSkew = time.Minute

	// oauthMaxAssertionLifetime is the longest a client assertion may stay
	// valid: Okta rejects an exp more than one hour ahead.
	oauthMaxAssertionLifetime = time.Hour

	// oauthMaxRequestLog bounds the token request log of a long-running fake.
	oauthMaxRequestLog = 10000
)

// The Okta API scopes of the Agent Pools API, the only scopes the fake org
// authorization server accepts.
const (
	oauthScopeRead   = "okta.agentPools.read"
	oauthScopeManage = "okta.agentPools.manage"
)

// oauthKnownScopes lists the scopes that a client may be granted.
var oauthKnownScopes = map[string]bool{
	oauthScopeRead:   true,
	oauthScopeManage: true,
}

// authServer is the fake org's OAuth 2.0 authorization server (the org
// authorization server, client credentials grant only) together with the
// access token check that the API server runs on every request. Its methods
// are safe for concurrent use. It reads every time from now, which must be
// safe for concurrent use too.
type authServer struct {
	now func() time.Time

	mu sync.Mutex

	clients map[string]*oauthClientRecord // by client ID
	tokens  map[string]*oauthAccessToken  // by access token value

	tokenLifetime        time.Duration
	requireResourceNonce bool

	// seenAssertions and seenProofs hold the jti of every accepted client
	// assertion and DPoP proof until the JWT could no longer be accepted
	// anyway, to reject replays.
	seenAssertions map[string]time.Time // client ID + "\x00" + jti
	seenProofs     map[string]time.Time // JWK thumbprint + "\x00" + jti

	tokenNonces    oauthNonces // DPoP nonces of the token endpoint
	resourceNonces oauthNonces // DPoP nonces of the API, when required

	tokenRequests int
	issuedTokens  int
	requestLog    []TokenRequest // the last oauthMaxRequestLog requests
}

// oauthAccessToken is the record of an access token the fake issued.
type oauthAccessToken struct {
	clientID string
	scopes   []string
	expires  time.Time
	jkt      string // JWK SHA-256 thumbprint of the DPoP key; empty for a Bearer token
}

// newAuthServer returns an authorization server with no clients that reads
// the time from now.
func newAuthServer(now func() time.Time) *authServer {
	return &authServer{
		now:            now,
		clients:        make(map[string]*oauthClientRecord),
		tokens:         make(map[string]*oauthAccessToken),
		tokenLifetime:  DefaultTokenLifetime,
		seenAssertions: make(map[string]time.Time),
		seenProofs:     make(map[string]time.Time),
	}
}

// authFailure is why a request's OAuth credentials were rejected. The API
// server writes it as an Okta error object with the given status.
//
// NOTE: Okta rejects an invalid DPoP proof on an API request with 400 and an
// empty body, and only WWW-Authenticate states the reason. Those failures
// have an empty ErrorCode and ErrorSummary, and the API server should then
// write no body.
type authFailure struct {
	Status          int    // 400, 401 or 403
	ErrorCode       string // Okta error code, such as E0000011 or E0000006
	ErrorSummary    string
	WWWAuthenticate string // value of the WWW-Authenticate header, if any
	DPoPNonce       string // value of the DPoP-Nonce header, if any
}

// serveToken handles POST /oauth2/v1/token: the client credentials grant
// with private_key_jwt, client_secret_basic or client_secret_post client
// authentication, and DPoP-bound tokens when the request carries a proof.
func (a *authServer) serveToken(w http.ResponseWriter, r *http.Request) {
	entry := TokenRequest{Time: a.now(), DPoP: len(r.Header.Values("DPoP")) > 0}

	response, failure := a.handleTokenRequest(w, r, &entry)

	if failure != nil {
		entry.Status = failure.status
		entry.Error = failure.code
		entry.ErrorDescription = failure.description
		a.recordTokenRequest(entry)
		writeTokenError(w, failure)
		return
	}

	entry.Status = http.StatusOK
	a.recordTokenRequest(entry)
	writeTokenJSON(w, http.StatusOK, response)
}

// recordTokenRequest counts a token request and appends it to the log.
func (a *authServer) recordTokenRequest(entry TokenRequest) {
	a.mu.Lock()
	defer a.mu.Unlock()

	a.tokenRequests++
	if len(a.requestLog) == oauthMaxRequestLog {
		a.requestLog = slices.Delete(a.requestLog, 0, 1)
	}
	a.requestLog = append(a.requestLog, entry)
}

// requestOrigin returns scheme://host of the URL the client used for r.
// The fake serves plain HTTP unless r arrived over TLS.
func requestOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// oauthRandom returns n random bytes as unpadded base64url text.
func oauthRandom(n int) string {
	b := make([]byte, n)
	// crypto/rand.Read never returns an error (it aborts the program if the
	// system source fails).
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// oauthForget deletes the entries of seen whose time has passed. The caller
// holds a.mu.
func oauthForget(seen map[string]time.Time, now time.Time) {
	for key, until := range seen {
		if !now.Before(until) {
			delete(seen, key)
		}
	}
}

// quoteAuthParam quotes v as an HTTP auth-param value (RFC 9110, section
// 11.2), escaping backslashes and double quotes.
func quoteAuthParam(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
}
