package auth

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/require"
)

// Keys are generated once per test binary because RSA generation is slow.
var (
	testRSAKey      = sync.OnceValue(func() *rsa.PrivateKey { return mustRSAKey(2048) })
	testOtherRSAKey = sync.OnceValue(func() *rsa.PrivateKey { return mustRSAKey(2048) })
)

func mustRSAKey(bits int) *rsa.PrivateKey {
	key, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		panic(err)
	}
	return key
}

func newECKey(t *testing.T, curve elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(curve, rand.Reader)
	require.NoError(t, err)
	return key
}

// testClock is a clock that moves only when a test advances it.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// signatureAlgorithms are the algorithms the fake server accepts.
var signatureAlgorithms = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.ES256, jose.ES384, jose.ES512,
}

const (
	tokenPath = "/oauth2/v1/token"
	apiPath   = "/api/v1/agentPools"
)

// fakeOkta is an Okta org on 127.0.0.1 with a token endpoint and one API
// path. It verifies client assertions, client secrets and DPoP proofs with
// go-jose, reports unexpected requests with t.Errorf, and counts requests.
// Set its fields before the first request.
type fakeOkta struct {
	t      *testing.T
	server *httptest.Server
	clock  *testClock

	clientID  string
	wantScope string

	// assertionKey is the public key of private_key_jwt clients; nil means
	// the client authenticates with clientSecret.
	assertionKey   crypto.PublicKey
	assertionAlg   string
	assertionKeyID string
	clientSecret   string
	secretMethod   ClientAuthMethod

	// dpopRequired makes the token endpoint reject requests without a DPoP
	// proof, as Okta does for apps that require DPoP.
	dpopRequired bool
	// tokenNonce and apiNonce, when set, must be in the proofs sent to the
	// token endpoint and the API.
	tokenNonce string
	apiNonce   string

	expiresIn int

	// tokenHook, when set, runs first in every token request, for example
	// to hold the request.
	tokenHook func(r *http.Request)
	// tokenResponse, when set, replaces the token endpoint's response.
	tokenResponse func(w http.ResponseWriter, r *http.Request)
	// rejectToken, when set, makes the API respond 401 invalid_token to the
	// tokens it returns true for.
	rejectToken func(token string) bool
	// apiResponse, when set, replaces the API's response. Set it with
	// setAPIResponse once requests have started.
	apiResponse func(w http.ResponseWriter, r *http.Request)

	mu            sync.Mutex
	tokenRequests int
	apiRequests   int
	tokens        map[string]string // issued access token → bound key thumbprint, "" for Bearer
	issued        []string
	assertionJTIs map[string]bool
	proofJTIs     map[string]bool
	tokenProofs   []dpopClaims
	apiProofs     []dpopClaims
	apiBodies     []string
	apiAuth       []string
	sent          []string // assertions, proofs and tokens seen, for secret scans
}

func newFakeOkta(t *testing.T, clock *testClock) *fakeOkta {
	f := &fakeOkta{
		t:             t,
		clock:         clock,
		clientID:      "0oaclient123",
		wantScope:     ScopeRead + " " + ScopeManage,
		expiresIn:     3600,
		tokens:        map[string]string{},
		assertionJTIs: map[string]bool{},
		proofJTIs:     map[string]bool{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc(tokenPath, f.serveToken)
	mux.HandleFunc(apiPath, f.serveAPI)
	f.server = httptest.NewServer(mux)
	t.Cleanup(f.server.Close)
	return f
}

func (f *fakeOkta) orgURL() *url.URL {
	u, err := url.Parse(f.server.URL)
	if err != nil {
		panic(err)
	}
	return u
}

func (f *fakeOkta) counts() (tokenRequests, apiRequests int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokenRequests, f.apiRequests
}

func (f *fakeOkta) setAPIResponse(handler func(w http.ResponseWriter, r *http.Request)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.apiResponse = handler
}

func (f *fakeOkta) tokenProofsSeen() []dpopClaims {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]dpopClaims(nil), f.tokenProofs...)
}

func (f *fakeOkta) apiProofsSeen() []dpopClaims {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]dpopClaims(nil), f.apiProofs...)
}

func (f *fakeOkta) apiAuthSeen() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.apiAuth...)
}

func (f *fakeOkta) apiBodiesSeen() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.apiBodies...)
}

func (f *fakeOkta) secretsSent() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.sent...)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body) // a failed write shows up in the test that reads it
}

func writeOAuthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}

// fail reports an unexpected request and responds to it with 400.
func (f *fakeOkta) fail(w http.ResponseWriter, format string, args ...any) {
	f.t.Errorf("fake okta: "+format, args...)
	writeOAuthError(w, http.StatusBadRequest, "invalid_request", "the fake server rejected the request")
}

func (f *fakeOkta) serveToken(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.tokenRequests++
	if proof := r.Header.Get("DPoP"); proof != "" {
		f.sent = append(f.sent, proof)
	}
	f.mu.Unlock()

	if f.tokenHook != nil {
		f.tokenHook(r)
	}
	if f.tokenResponse != nil {
		f.tokenResponse(w, r)
		return
	}

	if r.Method != http.MethodPost {
		f.fail(w, "token request method %s; want POST", r.Method)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		f.fail(w, "token request Content-Type %q", ct)
		return
	}
	if err := r.ParseForm(); err != nil {
		f.fail(w, "token request form: %v", err)
		return
	}
	if got := r.PostForm.Get("grant_type"); got != "client_credentials" {
		f.fail(w, "grant_type %q; want client_credentials", got)
		return
	}
	if got := r.PostForm.Get("scope"); got != f.wantScope {
		f.fail(w, "scope %q; want %q", got, f.wantScope)
		return
	}
	if problem := f.checkClientAuth(r); problem != "" {
		f.fail(w, "%s", problem)
		return
	}

	binding := ""
	proof := r.Header.Get("DPoP")
	switch {
	case proof == "" && f.dpopRequired:
		// Okta's response when an app requires DPoP and the header is missing.
		writeOAuthError(w, http.StatusBadRequest, "invalid_dpop_proof", "The DPoP proof JWT header is missing.")
		return
	case proof != "":
		claims, jkt, problem := f.verifyProof(r, "")
		if problem != "" {
			f.fail(w, "token request DPoP proof: %s", problem)
			return
		}
		f.mu.Lock()
		f.tokenProofs = append(f.tokenProofs, claims)
		f.mu.Unlock()
		if f.tokenNonce != "" && claims.Nonce != f.tokenNonce {
			w.Header().Set("DPoP-Nonce", f.tokenNonce)
			writeOAuthError(w, http.StatusBadRequest, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof.")
			return
		}
		binding = jkt
	}

	token := "at-" + rand.Text()
	tokenType := "Bearer"
	if binding != "" {
		tokenType = "DPoP"
	}
	f.mu.Lock()
	f.tokens[token] = binding
	f.issued = append(f.issued, token)
	f.sent = append(f.sent, token)
	f.mu.Unlock()

	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": token,
		"token_type":   tokenType,
		"expires_in":   f.expiresIn,
		"scope":        f.wantScope,
	})
}

// checkClientAuth verifies the client assertion or client secret of a token
// request and returns what is wrong, or "".
func (f *fakeOkta) checkClientAuth(r *http.Request) string {
	form := r.PostForm
	if f.assertionKey == nil {
		return f.checkClientSecret(r)
	}

	if got := form.Get("client_assertion_type"); got != clientAssertionType {
		return fmt.Sprintf("client_assertion_type %q", got)
	}
	if form.Has("client_secret") || r.Header.Get("Authorization") != "" {
		return "private_key_jwt request also carries a client secret"
	}
	assertion := form.Get("client_assertion")
	f.mu.Lock()
	f.sent = append(f.sent, assertion)
	f.mu.Unlock()

	jws, err := jose.ParseSigned(assertion, signatureAlgorithms)
	if err != nil {
		return fmt.Sprintf("client assertion does not parse: %v", err)
	}
	header := jws.Signatures[0].Protected
	if header.Algorithm != f.assertionAlg {
		return fmt.Sprintf("client assertion alg %q; want %q", header.Algorithm, f.assertionAlg)
	}
	if header.KeyID != f.assertionKeyID {
		return fmt.Sprintf("client assertion kid %q; want %q", header.KeyID, f.assertionKeyID)
	}
	payload, err := jws.Verify(f.assertionKey)
	if err != nil {
		return fmt.Sprintf("client assertion signature: %v", err)
	}

	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		return fmt.Sprintf("client assertion claims: %v", err)
	}
	now := float64(f.clock.Now().Unix())
	want := map[string]any{
		"iss": f.clientID,
		"sub": f.clientID,
		"aud": f.server.URL + tokenPath,
		"iat": now,
		"exp": now + 300,
	}
	for name, value := range want {
		if claims[name] != value {
			return fmt.Sprintf("client assertion claim %s = %v; want %v", name, claims[name], value)
		}
	}
	jti, _ := claims["jti"].(string)
	if jti == "" {
		return "client assertion has no jti"
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	if f.assertionJTIs[jti] {
		return "client assertion jti reused: " + jti
	}
	f.assertionJTIs[jti] = true
	return ""
}

func (f *fakeOkta) checkClientSecret(r *http.Request) string {
	form := r.PostForm
	if form.Has("client_assertion") {
		return "client secret request carries a client assertion"
	}

	switch f.secretMethod {
	case ClientSecretPost:
		if r.Header.Get("Authorization") != "" {
			return "client_secret_post request has an Authorization header"
		}
		if form.Get("client_id") != f.clientID || form.Get("client_secret") != f.clientSecret {
			return "client_secret_post form has the wrong client_id or client_secret"
		}
	default:
		if form.Has("client_secret") || form.Has("client_id") {
			return "client_secret_basic request has the secret in the form"
		}
		id, secret, ok := r.BasicAuth()
		if !ok {
			return "client_secret_basic request has no Basic Authorization header"
		}
		id, err1 := url.QueryUnescape(id)
		secret, err2 := url.QueryUnescape(secret)
		if err1 != nil || err2 != nil || id != f.clientID || secret != f.clientSecret {
			return "client_secret_basic header has the wrong client ID or secret"
		}
	}
	return ""
}

// verifyProof checks the DPoP proof of r and returns its claims and the
// thumbprint of its key. accessToken is the token the proof must hash into
// ath, or "" for a token request, whose proof must have no ath.
func (f *fakeOkta) verifyProof(r *http.Request, accessToken string) (dpopClaims, string, string) {
	var claims dpopClaims
	if n := len(r.Header.Values("DPoP")); n != 1 {
		return claims, "", fmt.Sprintf("%d DPoP headers; want 1", n)
	}
	proof := r.Header.Get("DPoP")

	jws, err := jose.ParseSigned(proof, signatureAlgorithms)
	if err != nil {
		return claims, "", fmt.Sprintf("proof does not parse: %v", err)
	}
	header := jws.Signatures[0].Protected
	if typ := header.ExtraHeaders[jose.HeaderType]; typ != "dpop+jwt" {
		return claims, "", fmt.Sprintf("proof typ %v; want dpop+jwt", typ)
	}
	if header.JSONWebKey == nil || !header.JSONWebKey.IsPublic() {
		return claims, "", "proof has no public jwk header"
	}
	payload, err := jws.Verify(header.JSONWebKey)
	if err != nil {
		return claims, "", fmt.Sprintf("proof signature: %v", err)
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return claims, "", fmt.Sprintf("proof claims: %v", err)
	}

	if claims.Method != r.Method {
		return claims, "", fmt.Sprintf("proof htm %q; want %q", claims.Method, r.Method)
	}
	if want := "http://" + r.Host + r.URL.Path; claims.URL != want {
		return claims, "", fmt.Sprintf("proof htu %q; want %q", claims.URL, want)
	}
	if claims.IssuedAt != f.clock.Now().Unix() {
		return claims, "", fmt.Sprintf("proof iat %d; want %d", claims.IssuedAt, f.clock.Now().Unix())
	}
	wantAth := ""
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		wantAth = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	if claims.TokenSHA != wantAth {
		return claims, "", fmt.Sprintf("proof ath %q; want %q", claims.TokenSHA, wantAth)
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	if claims.ID == "" || f.proofJTIs[claims.ID] {
		return claims, "", fmt.Sprintf("proof jti %q is empty or reused", claims.ID)
	}
	f.proofJTIs[claims.ID] = true

	thumbprint, err := header.JSONWebKey.Thumbprint(crypto.SHA256)
	if err != nil {
		return claims, "", fmt.Sprintf("proof jwk thumbprint: %v", err)
	}
	return claims, base64.RawURLEncoding.EncodeToString(thumbprint), ""
}

func (f *fakeOkta) serveAPI(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.apiRequests++
	f.apiBodies = append(f.apiBodies, string(body))
	f.apiAuth = append(f.apiAuth, r.Header.Get("Authorization"))
	if proof := r.Header.Get("DPoP"); proof != "" {
		f.sent = append(f.sent, proof)
	}
	override := f.apiResponse
	f.mu.Unlock()

	if override != nil {
		override(w, r)
		return
	}

	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	f.mu.Lock()
	binding, known := f.tokens[token]
	f.mu.Unlock()
	if !known {
		f.fail(w, "API request with unknown token (scheme %q)", scheme)
		return
	}

	challengeScheme := "Bearer"
	if binding != "" {
		challengeScheme = "DPoP"
	}
	if f.rejectToken != nil && f.rejectToken(token) {
		w.Header().Set("WWW-Authenticate", challengeScheme+` realm="fake", error="invalid_token", error_description="The access token is invalid."`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"errorCode": "E0000011", "errorSummary": "Invalid token provided"})
		return
	}

	if binding == "" {
		if scheme != "Bearer" || r.Header.Get("DPoP") != "" {
			f.fail(w, "Bearer token sent with scheme %q or a DPoP proof", scheme)
			return
		}
	} else {
		if scheme != "DPoP" {
			f.fail(w, "DPoP-bound token sent with scheme %q", scheme)
			return
		}
		claims, jkt, problem := f.verifyProof(r, token)
		if problem != "" {
			f.fail(w, "API DPoP proof: %s", problem)
			return
		}
		if jkt != binding {
			f.fail(w, "API DPoP proof signed with another key than the token is bound to")
			return
		}
		f.mu.Lock()
		f.apiProofs = append(f.apiProofs, claims)
		f.mu.Unlock()
		if f.apiNonce != "" && claims.Nonce != f.apiNonce {
			w.Header().Set("DPoP-Nonce", f.apiNonce)
			w.Header().Set("WWW-Authenticate", `DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"`)
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "use_dpop_nonce"})
			return
		}
	}

	writeJSON(w, http.StatusOK, []any{})
}

// get sends a GET request for the API path through rt.
func get(t *testing.T, rt http.RoundTripper, f *fakeOkta) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.server.URL+apiPath+"?limitPerPoolType=5", nil)
	require.NoError(t, err)
	return rt.RoundTrip(req)
}

// mustGet sends a GET request through rt, requires a 200 response and closes
// its body.
func mustGet(t *testing.T, rt http.RoundTripper, f *fakeOkta) {
	t.Helper()
	resp, err := get(t, rt, f)
	require.NoError(t, err)
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

// getError sends a GET request through rt that must fail, and returns the
// error. A response fails the test, and its body is closed.
func getError(t *testing.T, rt http.RoundTripper, f *fakeOkta) error {
	t.Helper()
	resp, err := get(t, rt, f)
	assertNoResponse(t, resp)
	return err
}

// assertNoResponse fails the test unless resp is nil, and closes the body of
// a response that came back anyway.
func assertNoResponse(t *testing.T, resp *http.Response) {
	t.Helper()
	if resp != nil {
		resp.Body.Close()
		t.Errorf("got a response with status %d, want none", resp.StatusCode)
	}
}

// privateKeyCredentials builds PrivateKeyJWT credentials for f with key and
// returns a RoundTripper for f's org.
func privateKeyTransport(t *testing.T, f *fakeOkta, cfg PrivateKeyConfig) http.RoundTripper {
	t.Helper()
	if cfg.ClientID == "" {
		cfg.ClientID = f.clientID
	}
	if cfg.Clock == nil {
		cfg.Clock = f.clock.Now
	}
	creds, err := PrivateKeyJWT(cfg)
	require.NoError(t, err)
	rt, err := creds.RoundTripper(f.orgURL(), nil)
	require.NoError(t, err)
	return rt
}

// lockedBuffer is an io.Writer that is safe for concurrent use.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func debugLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func mustParseURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}

// waitFor polls condition until it holds, failing the test after 5 seconds.
func waitFor(t *testing.T, condition func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !condition() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(time.Millisecond)
	}
}
