package integration_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/auth"
	"github.com/seed570a29ac/agentpools/client"
	"github.com/seed570a29ac/agentpools/oktatest"
)

const testClientID = "0oaIntegrationClient1"

// wire records the secrets that cross the wire, so that a test can check
// that none of them leaks into errors or logs, and the DPoP proofs sent.
type wire struct {
	mu      sync.Mutex
	base    http.RoundTripper
	secrets []string
	proofs  []string
}

func (w *wire) RoundTrip(req *http.Request) (*http.Response, error) {
	w.mu.Lock()
	if h := req.Header.Get("Authorization"); h != "" {
		if _, cred, ok := strings.Cut(h, " "); ok {
			w.secrets = append(w.secrets, cred)
		}
	}
	if proof := req.Header.Get("DPoP"); proof != "" {
		w.secrets = append(w.secrets, proof)
		w.proofs = append(w.proofs, proof)
	}
	if req.Body != nil && req.GetBody != nil {
		body, _ := req.GetBody()
		data, _ := io.ReadAll(body)
		if form, err := url.ParseQuery(string(data)); err == nil {
			for _, k := range []string{"client_assertion", "client_secret"} {
				if v := form.Get(k); v != "" {
					w.secrets = append(w.secrets, v)
				}
			}
		}
	}
	w.mu.Unlock()

	resp, err := w.base.RoundTrip(req)
	if err != nil || !strings.HasSuffix(req.URL.Path, "/oauth2/v1/token") {
		return resp, err
	}

	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var token struct {
		AccessToken string `json:"access_token"`
	}
	if json.Unmarshal(data, &token) == nil && token.AccessToken != "" {
		w.mu.Lock()
		w.secrets = append(w.secrets, token.AccessToken)
		w.mu.Unlock()
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	return resp, nil
}

func (w *wire) proofIDs(t *testing.T) []string {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()

	var ids []string
	for _, proof := range w.proofs {
		parts := strings.Split(proof, ".")
		require.Len(t, parts, 3)
		payload, err := base64.RawURLEncoding.DecodeString(parts[1])
		require.NoError(t, err)
		var claims struct {
			JTI string `json:"jti"`
		}
		require.NoError(t, json.Unmarshal(payload, &claims))
		ids = append(ids, claims.JTI)
	}
	return ids
}

// oauthSetup is a fake org with one OAuth client and a client of this
// library for it, whose errors and logs the test collects.
type oauthSetup struct {
	fake   *oktatest.Server
	client *client.Client
	wire   *wire
	logs   *bytes.Buffer
	clock  *fakeClock
}

type oauthOptions struct {
	key         crypto.Signer // nil: a new RSA key
	secret      string        // set: client_secret_basic instead of a key
	granted     []string
	requested   []string
	requireDPoP bool
	dpop        bool
	fakeOptions []oktatest.Option
	// clientOptions are added to the options of the client under test.
	clientOptions []client.Option
}

func newOAuthSetup(t *testing.T, o oauthOptions) *oauthSetup {
	t.Helper()

	clock := &fakeClock{now: time.Now()}
	logs := &bytes.Buffer{}
	logger := slog.New(slog.NewTextHandler(syncWriter(logs), &slog.HandlerOptions{Level: slog.LevelDebug}))
	fake := oktatest.New(t, append([]oktatest.Option{oktatest.WithSampleData(), oktatest.WithClock(clock.Now)}, o.fakeOptions...)...)

	if o.granted == nil {
		o.granted = []string{auth.ScopeRead, auth.ScopeManage}
	}
	registered := oktatest.OAuthClient{ClientID: testClientID, Scopes: o.granted, RequireDPoP: o.requireDPoP}

	w := &wire{base: http.DefaultTransport}
	var creds auth.Credentials
	var err error
	if o.secret != "" {
		registered.Secret = o.secret
		creds, err = auth.ClientSecret(auth.ClientSecretConfig{
			ClientID: testClientID, ClientSecret: o.secret, Scopes: o.requested,
			DPoP: o.dpop, Clock: clock.Now, Logger: logger,
		})
	} else {
		key := o.key
		if key == nil {
			generated, genErr := oktatest.GenerateClientKey()
			require.NoError(t, genErr)
			key = generated.Signer
		}
		registered.Keys = []jose.JSONWebKey{{Key: key.Public(), KeyID: "key1"}}
		creds, err = auth.PrivateKeyJWT(auth.PrivateKeyConfig{
			ClientID: testClientID, Key: key, KeyID: "key1", Scopes: o.requested,
			DPoP: o.dpop, Clock: clock.Now, Logger: logger,
		})
	}
	require.NoError(t, err)
	require.NoError(t, fake.RegisterClient(registered))

	c, err := client.New(fake.URL, append([]client.Option{
		client.WithCredentials(creds),
		client.WithHTTPClient(&http.Client{Transport: w}),
		client.WithLogger(logger),
	}, o.clientOptions...)...)
	require.NoError(t, err)

	s := &oauthSetup{fake: fake, client: c, wire: w, logs: logs, clock: clock}
	t.Cleanup(func() { s.assertNoSecretLeaks(t, o) })
	return s
}

// errs collects the errors a test saw, for the secret scan.
var (
	errsMu sync.Mutex
	errs   = map[*testing.T][]error{}
)

func record(t *testing.T, err error) error {
	if err != nil {
		errsMu.Lock()
		errs[t] = append(errs[t], err)
		errsMu.Unlock()
	}
	return err
}

func (s *oauthSetup) assertNoSecretLeaks(t *testing.T, o oauthOptions) {
	s.wire.mu.Lock()
	secrets := append([]string(nil), s.wire.secrets...)
	s.wire.mu.Unlock()
	if o.secret != "" {
		secrets = append(secrets, o.secret)
	}

	errsMu.Lock()
	var texts []string
	for _, err := range errs[t] {
		texts = append(texts, err.Error(), strings.ReplaceAll(err.Error(), `\"`, `"`))
	}
	delete(errs, t)
	errsMu.Unlock()
	texts = append(texts, s.logs.String())
	assert.NotEmpty(t, secrets, "the scan saw the secrets on the wire")

	for _, secret := range secrets {
		if len(secret) < 8 {
			continue
		}
		for _, text := range texts {
			assert.NotContains(t, text, secret, "a secret leaked into an error or a log line")
		}
	}
}

func TestPrivateKeyJWTRS256(t *testing.T) {
	s := newOAuthSetup(t, oauthOptions{})

	for pool, err := range s.client.ListPools(ctx(t), nil) {
		require.NoError(t, record(t, err))
		require.NotEmpty(t, deref(pool.Id))
	}
	assert.Equal(t, 1, s.fake.TokenRequests())
	assertAuthScheme(t, s.fake, "Bearer")
}

func TestPrivateKeyJWTES256(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	parsed, err := auth.ParsePrivateKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
	require.NoError(t, err)

	s := newOAuthSetup(t, oauthOptions{key: parsed})

	poolID := deref(s.fake.Pools()[0].Id)
	_, err = s.client.GetSettings(ctx(t), poolID)
	require.NoError(t, record(t, err))
	assert.Equal(t, 1, s.fake.TokenRequests())
}

func TestClientSecret(t *testing.T) {
	s := newOAuthSetup(t, oauthOptions{secret: "integration-client-secret-1234567890"})

	poolID := deref(s.fake.Pools()[0].Id)
	_, err := s.client.ListUpdates(ctx(t), poolID, nil)
	require.NoError(t, record(t, err))
	assert.Equal(t, 1, s.fake.IssuedTokens())
}

func TestDPoPWithNonceChallenge(t *testing.T) {
	s := newOAuthSetup(t, oauthOptions{dpop: true, requireDPoP: true})

	poolID := deref(s.fake.Pools()[0].Id)
	_, err := s.client.GetSettings(ctx(t), poolID)
	require.NoError(t, record(t, err))

	log := s.fake.TokenRequestLog()
	require.Len(t, log, 2, "the first token request is answered use_dpop_nonce")
	assert.Equal(t, "use_dpop_nonce", log[0].Error)
	assert.Equal(t, http.StatusOK, log[1].Status)
	assertAuthScheme(t, s.fake, "DPoP")
}

func TestDPoPRequiredButNotEnabled(t *testing.T) {
	s := newOAuthSetup(t, oauthOptions{requireDPoP: true})

	_, err := s.client.GetSettings(ctx(t), deref(s.fake.Pools()[0].Id))
	require.Error(t, record(t, err))
	assert.Contains(t, err.Error(), "DPoP")
	assert.LessOrEqual(t, s.fake.TokenRequests(), 1, "no loop of token requests")
}

func TestDPoPProofIsNewOnRetry(t *testing.T) {
	s := newOAuthSetup(t, oauthOptions{dpop: true, clientOptions: []client.Option{client.WithClock(instantClock{})}})
	poolID := deref(s.fake.Pools()[0].Id)
	require.NoError(t, s.fake.InjectFault("getAgentPoolsUpdateSettings", oktatest.Fault{
		Status: http.StatusTooManyRequests, Times: 1, RateLimitReset: time.Now(),
	}))

	_, err := s.client.GetSettings(ctx(t), poolID)
	require.NoError(t, record(t, err))

	ids := s.wire.proofIDs(t)
	seen := map[string]bool{}
	for _, id := range ids {
		assert.False(t, seen[id], "proof jti %s sent twice", id)
		seen[id] = true
	}
	var settingsCalls int
	for _, r := range s.fake.Requests() {
		if r.OperationID == "getAgentPoolsUpdateSettings" {
			settingsCalls++
		}
	}
	assert.Equal(t, 2, settingsCalls, "the 429 was retried")
}

func TestTokenExpiryDuringListing(t *testing.T) {
	s := newOAuthSetup(t, oauthOptions{})
	s.fake.SetTokenLifetime(10 * time.Minute)

	seen := map[string]bool{}
	var pages int
	it := s.client.PoolIterator(&client.ListPoolsOptions{LimitPerPoolType: 1})
	for !it.Done() {
		page, err := it.NextPage(ctx(t))
		require.NoError(t, record(t, err))
		pages++
		for _, p := range page.Items {
			id := deref(p.Id)
			assert.False(t, seen[id], "pool %s listed twice", id)
			seen[id] = true
		}
		if pages == 2 {
			s.clock.Advance(11 * time.Minute)
		}
	}

	require.Greater(t, pages, 2)
	assert.Len(t, seen, len(s.fake.Pools()))
	assert.Equal(t, 2, s.fake.IssuedTokens(), "one new token after expiry")
}

func TestScopeDenied(t *testing.T) {
	s := newOAuthSetup(t, oauthOptions{granted: []string{auth.ScopeRead}, requested: []string{auth.ScopeRead}})
	pool := s.fake.Pools()[0]

	_, err := s.client.ListUpdates(ctx(t), deref(pool.Id), nil)
	require.NoError(t, record(t, err))

	_, err = s.client.CreateUpdate(ctx(t), deref(pool.Id), api.AgentPoolUpdate{Name: ptr("x"), AgentType: pool.Type})
	require.Error(t, record(t, err))
	assert.True(t, client.IsForbidden(err))
	var apiErr *client.Error
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, "E0000006", apiErr.Code)
}

func TestInvalidClient(t *testing.T) {
	s := newOAuthSetup(t, oauthOptions{})
	other, err := oktatest.GenerateClientKey()
	require.NoError(t, err)
	require.NoError(t, s.fake.RegisterClient(oktatest.OAuthClient{
		ClientID: testClientID,
		Keys:     []jose.JSONWebKey{{Key: other.Signer.Public(), KeyID: "key1"}},
		Scopes:   []string{auth.ScopeRead, auth.ScopeManage},
	}))

	_, err = s.client.GetSettings(ctx(t), deref(s.fake.Pools()[0].Id))
	require.Error(t, record(t, err))

	var tokenErr *auth.TokenError
	require.True(t, errors.As(err, &tokenErr), "got %T: %v", err, err)
	assert.Equal(t, http.StatusUnauthorized, tokenErr.StatusCode)
	assert.Equal(t, "invalid_client", tokenErr.ErrorCode)
}

func TestConcurrentCallersShareOneToken(t *testing.T) {
	s := newOAuthSetup(t, oauthOptions{})
	poolID := deref(s.fake.Pools()[0].Id)

	var wg sync.WaitGroup
	errCh := make(chan error, 64)
	for range 64 {
		wg.Go(func() {
			_, err := s.client.GetSettings(ctx(t), poolID)
			errCh <- err
		})
	}
	wg.Wait()
	close(errCh)
	for err := range errCh {
		require.NoError(t, record(t, err))
	}

	assert.Equal(t, 1, s.fake.TokenRequests())
}

func assertAuthScheme(t *testing.T, fake *oktatest.Server, scheme string) {
	t.Helper()
	for _, r := range fake.Requests() {
		if r.OperationID == "" {
			continue
		}
		got, _, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		assert.Equal(t, scheme, got, "%s %s", r.Method, r.Path)
	}
}

// fakeClock is a clock that tests move forward by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func syncWriter(w io.Writer) io.Writer { return &lockedWriter{w: w} }
