package integration_test

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
	"fmt"
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
	"golang.org/x/oauth2"

	"github.com/seed570a29ac/agentpools/auth"
	"github.com/seed570a29ac/agentpools/client"
	"github.com/seed570a29ac/agentpools/oktatest"
)

type transportFunc func(*http.Request) (*http.Response, error)

func (f transportFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// newClientFor returns a client of the fake org with creds.
func newClientFor(t *testing.T, fake *oktatest.Server, creds auth.Credentials) *client.Client {
	t.Helper()
	c, err := client.New(fake.URL, client.WithCredentials(creds))
	require.NoError(t, err)
	return c
}

// lastTokenRequest returns the newest entry of the fake's token log.
func lastTokenRequest(t *testing.T, fake *oktatest.Server) oktatest.TokenRequest {
	t.Helper()
	log := fake.TokenRequestLog()
	require.NotEmpty(t, log)
	return log[len(log)-1]
}

func TestKeyFormatsOnFakeOrg(t *testing.T) {
	generated, err := oktatest.GenerateClientKey()
	require.NoError(t, err)
	rsaKey := generated.Signer.(*rsa.PrivateKey)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	p384DER, err := x509.MarshalPKCS8PrivateKey(p384)
	require.NoError(t, err)
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	p256JWK, err := jose.JSONWebKey{Key: p256, KeyID: "kid-ec-1", Algorithm: "ES256", Use: "sig"}.MarshalJSON()
	require.NoError(t, err)

	tests := []struct {
		name      string
		load      func() (crypto.Signer, string, error) // the key and its key ID
		algorithm string
	}{
		{"PKCS#1 RSA", func() (crypto.Signer, string, error) {
			key, err := auth.ParsePrivateKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)}))
			return key, "kid-rsa-1", err
		}, ""},
		{"PKCS#8 RSA with RS512", func() (crypto.Signer, string, error) {
			key, err := auth.ParsePrivateKeyPEM(generated.PEM)
			return key, "kid-rsa-2", err
		}, "RS512"},
		{"PKCS#8 EC P-384", func() (crypto.Signer, string, error) {
			key, err := auth.ParsePrivateKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p384DER}))
			return key, "kid-ec-384", err
		}, ""},
		{"JWK EC P-256 with its kid", func() (crypto.Signer, string, error) {
			return auth.ParsePrivateKeyJWK(p256JWK)
		}, ""},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, keyID, err := tt.load()
			require.NoError(t, err)
			other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			require.NoError(t, err)
			fake := oktatest.New(t, oktatest.WithSampleData())
			// With two keys, the fake requires the kid of the assertion.
			require.NoError(t, fake.RegisterClient(oktatest.OAuthClient{
				ClientID: testClientID,
				Keys:     []jose.JSONWebKey{{Key: key.Public(), KeyID: keyID}, {Key: other.Public(), KeyID: "kid-other"}},
				Scopes:   []string{auth.ScopeRead, auth.ScopeManage},
			}))
			creds, err := auth.PrivateKeyJWT(auth.PrivateKeyConfig{ClientID: testClientID, Key: key, KeyID: keyID, Algorithm: tt.algorithm})
			require.NoError(t, err)

			_, err = newClientFor(t, fake, creds).GetSettings(ctx(t), deref(fake.Pools()[0].Id))

			require.NoError(t, err)
			assert.Equal(t, "private_key_jwt", lastTokenRequest(t, fake).AuthMethod)
			assert.Equal(t, 1, fake.IssuedTokens())
		})
	}
}

func TestClientSecretMethodsOnFakeOrg(t *testing.T) {
	const secret = "test-client-secret-0123456789"
	for _, method := range []auth.ClientAuthMethod{auth.ClientSecretBasic, auth.ClientSecretPost} {
		t.Run(string(method), func(t *testing.T) {
			fake := oktatest.New(t, oktatest.WithSampleData())
			require.NoError(t, fake.RegisterClient(oktatest.OAuthClient{
				ClientID: testClientID, Secret: secret, Scopes: []string{auth.ScopeRead},
			}))
			creds, err := auth.ClientSecret(auth.ClientSecretConfig{
				ClientID: testClientID, ClientSecret: secret, AuthMethod: method, Scopes: []string{auth.ScopeRead},
			})
			require.NoError(t, err)

			_, err = newClientFor(t, fake, creds).ListUpdates(ctx(t), deref(fake.Pools()[0].Id), nil)

			require.NoError(t, err)
			assert.Equal(t, string(method), lastTokenRequest(t, fake).AuthMethod)
			assert.NotContains(t, fmt.Sprintf("%v %+v %#v %s", creds, creds, creds, creds), secret)
		})
	}
}

// fetchToken gets an access token from the fake's token endpoint with
// client_secret_post, as another program would, for the credentials that
// take a token obtained elsewhere.
func fetchToken(t *testing.T, fake *oktatest.Server) string {
	t.Helper()

	const secret = "test-static-secret-0123456789"
	require.NoError(t, fake.RegisterClient(oktatest.OAuthClient{ClientID: "0oaStaticTokenClient", Secret: secret, Scopes: []string{auth.ScopeRead}}))
	resp, err := http.PostForm(fake.URL+"/oauth2/v1/token", url.Values{
		"grant_type": {"client_credentials"}, "scope": {auth.ScopeRead},
		"client_id": {"0oaStaticTokenClient"}, "client_secret": {secret},
	})
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	var token struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&token))
	require.NotEmpty(t, token.AccessToken)
	return token.AccessToken
}

func TestStaticTokensOnFakeOrg(t *testing.T) {
	fake := oktatest.New(t, oktatest.WithSampleData())
	token := fetchToken(t, fake)
	poolID := deref(fake.Pools()[0].Id)
	bearer := newClientFor(t, fake, auth.BearerToken(token))
	source := newClientFor(t, fake, auth.TokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token})))

	_, err := bearer.GetSettings(ctx(t), poolID)
	require.NoError(t, err)
	_, err = source.GetSettings(ctx(t), poolID)
	require.NoError(t, err)
	assertAuthScheme(t, fake, "Bearer")

	fake.RevokeTokens()
	fake.ResetRequests()
	_, err = bearer.GetSettings(ctx(t), poolID)

	var apiErr *client.Error
	require.ErrorAs(t, err, &apiErr)
	assert.True(t, client.IsUnauthorized(err))
	assert.Equal(t, "invalid_token", apiErr.AuthError)
	assert.Len(t, fake.Requests(), 1, "a token that cannot be refreshed is not sent again")
	for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		assert.NotContains(t, text, token)
	}

	// The token source returns the same token again, so the rejected
	// request is not repeated.
	fake.ResetRequests()
	_, err = source.GetSettings(ctx(t), poolID)
	assert.True(t, client.IsUnauthorized(err), "got %v", err)
	assert.Len(t, fake.Requests(), 1)
}

func TestRevokedTokenRefetchedOnce(t *testing.T) {
	for _, dpop := range []bool{false, true} {
		t.Run(fmt.Sprintf("dpop %t", dpop), func(t *testing.T) {
			s := newOAuthSetup(t, oauthOptions{dpop: dpop})
			poolID := deref(s.fake.Pools()[0].Id)
			_, err := s.client.GetSettings(ctx(t), poolID)
			require.NoError(t, record(t, err))

			s.fake.RevokeTokens()
			_, err = s.client.GetSettings(ctx(t), poolID)

			require.NoError(t, record(t, err))
			assert.Equal(t, 2, s.fake.IssuedTokens(), "one new token")
			assert.Equal(t, []int{http.StatusOK, http.StatusUnauthorized, http.StatusOK}, statusesOf(s.fake, "getAgentPoolsUpdateSettings"),
				"the rejected call is sent once more")
		})
	}
}

func TestRevokedTokenDuringListing(t *testing.T) {
	s := newOAuthSetup(t, oauthOptions{})

	seen := map[string]bool{}
	pages := 0
	it := s.client.PoolIterator(&client.ListPoolsOptions{LimitPerPoolType: 1})
	for !it.Done() {
		page, err := it.NextPage(ctx(t))
		require.NoError(t, record(t, err))
		pages++
		for _, pool := range page.Items {
			assert.False(t, seen[deref(pool.Id)], "pool %s listed twice", deref(pool.Id))
			seen[deref(pool.Id)] = true
		}
		if pages == 2 {
			s.fake.RevokeTokens()
		}
	}

	assert.Greater(t, pages, 2)
	assert.Len(t, seen, len(s.fake.Pools()))
	assert.Equal(t, 2, s.fake.IssuedTokens())
}

func TestOneTokenRequestPerLifetime(t *testing.T) {
	for _, dpop := range []bool{false, true} {
		t.Run(fmt.Sprintf("dpop %t", dpop), func(t *testing.T) {
			s := newOAuthSetup(t, oauthOptions{dpop: dpop, requireDPoP: dpop})
			poolID := deref(s.fake.Pools()[0].Id)
			callAll := func() {
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
			}

			callAll()
			s.clock.Advance(oktatest.DefaultTokenLifetime + time.Minute)
			callAll()

			successes := 0
			for _, r := range s.fake.TokenRequestLog() {
				if r.Status == http.StatusOK {
					successes++
				}
			}
			assert.Equal(t, 2, successes, "one token request for each lifetime")
			assert.Equal(t, 2, s.fake.IssuedTokens())
			assert.NotContains(t, statusesOf(s.fake, "getAgentPoolsUpdateSettings"), http.StatusUnauthorized,
				"the token is replaced before it expires")
			if !dpop {
				assert.Equal(t, 2, s.fake.TokenRequests())
			}
		})
	}
}

func TestDPoPResourceNonceOnFakeOrg(t *testing.T) {
	s := newOAuthSetup(t, oauthOptions{dpop: true})
	s.fake.RequireResourceDPoPNonce(true)
	poolID := deref(s.fake.Pools()[0].Id)

	for range 2 {
		_, err := s.client.GetSettings(ctx(t), poolID)
		require.NoError(t, record(t, err))
	}
	s.fake.RotateDPoPNonces()
	_, err := s.client.GetSettings(ctx(t), poolID)
	require.NoError(t, record(t, err))

	assert.Equal(t, []int{http.StatusUnauthorized, http.StatusOK, http.StatusOK, http.StatusUnauthorized, http.StatusOK},
		statusesOf(s.fake, "getAgentPoolsUpdateSettings"), "a nonce challenge is answered once, and the nonce is kept")
	assert.Equal(t, 1, s.fake.IssuedTokens())
}

// proofParts decodes the header and claims of a DPoP proof.
func proofParts(t *testing.T, proof string) (map[string]any, map[string]any) {
	t.Helper()
	parts := strings.Split(proof, ".")
	require.Len(t, parts, 3)

	var header, claims map[string]any
	for i, out := range []*map[string]any{&header, &claims} {
		data, err := base64.RawURLEncoding.DecodeString(parts[i])
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(data, out))
	}
	return header, claims
}

func TestDPoPProofsWhileListing(t *testing.T) {
	s := newOAuthSetup(t, oauthOptions{dpop: true, requireDPoP: true})

	for _, err := range s.client.ListPools(ctx(t), &client.ListPoolsOptions{LimitPerPoolType: 2}) {
		require.NoError(t, record(t, err))
	}

	s.wire.mu.Lock()
	proofs := append([]string(nil), s.wire.proofs...)
	tokenHashes := map[string]bool{}
	for _, secret := range s.wire.secrets {
		sum := sha256.Sum256([]byte(secret))
		tokenHashes[base64.RawURLEncoding.EncodeToString(sum[:])] = true
	}
	s.wire.mu.Unlock()

	ids := map[string]bool{}
	apiProofs := 0
	for _, proof := range proofs {
		header, claims := proofParts(t, proof)
		assert.Equal(t, "dpop+jwt", header["typ"])
		require.IsType(t, map[string]any{}, header["jwk"])
		assert.NotContains(t, header["jwk"], "d", "the proof carries the public key only")
		jti, _ := claims["jti"].(string)
		assert.NotEmpty(t, jti)
		assert.False(t, ids[jti], "jti %s used twice", jti)
		ids[jti] = true

		ath, isAPI := claims["ath"].(string)
		if !isAPI {
			assert.Equal(t, s.fake.URL+"/oauth2/v1/token", claims["htu"])
			continue
		}
		apiProofs++
		assert.Equal(t, "GET", claims["htm"])
		assert.Equal(t, s.fake.URL+"/api/v1/agentPools", claims["htu"], "htu has no query")
		assert.True(t, tokenHashes[ath], "ath is the hash of the access token")
	}
	assert.Equal(t, 3, apiProofs, "one proof for each page")
}

func TestDPoPRequiredErrorNamesOption(t *testing.T) {
	tests := []struct {
		name   string
		secret string
		option string
	}{
		{"private key", "", "PrivateKeyConfig.DPoP"},
		{"client secret", "test-client-secret-0123456789", "ClientSecretConfig.DPoP"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newOAuthSetup(t, oauthOptions{requireDPoP: true, secret: tt.secret})

			_, err := s.client.GetSettings(ctx(t), deref(s.fake.Pools()[0].Id))

			var dpopErr *auth.DPoPRequiredError
			require.ErrorAs(t, record(t, err), &dpopErr)
			assert.Equal(t, tt.option, dpopErr.Option)
			assert.Contains(t, err.Error(), "set "+tt.option+" to true")
			assert.Equal(t, 1, s.fake.TokenRequests(), "no loop of token requests")
			assert.Empty(t, s.fake.Requests(), "no API request without a token")
		})
	}
}

func TestTokenEndpointFailuresSendNothing(t *testing.T) {
	longPage := "<html><body>" + strings.Repeat("upstream unavailable ", 100) + "</body></html>"
	tests := []struct {
		name     string
		status   int
		body     string
		wantCode string
		wantText string
	}{
		{"HTML 502", http.StatusBadGateway, longPage, "", "502 bad gateway: response is not JSON"},
		{"empty access token", http.StatusOK, `{"access_token":"","token_type":"Bearer","expires_in":3600}`, "", "no access_token"},
		{"OAuth error", http.StatusUnauthorized, `{"error":"invalid_client","error_description":"Client authentication failed."}`, "invalid_client", "401 invalid_client: Client authentication failed."},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tokenServer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			defer tokenServer.Close()
			fake := oktatest.New(t, oktatest.WithSampleData())
			creds, err := auth.ClientSecret(auth.ClientSecretConfig{
				ClientID: testClientID, ClientSecret: "test-client-secret-0123456789", TokenURL: tokenServer.URL + "/oauth2/v1/token",
			})
			require.NoError(t, err)

			_, err = newClientFor(t, fake, creds).GetSettings(ctx(t), deref(fake.Pools()[0].Id))

			var tokenErr *auth.TokenError
			require.ErrorAs(t, err, &tokenErr)
			assert.Equal(t, tt.status, tokenErr.StatusCode)
			assert.Equal(t, tt.wantCode, tokenErr.ErrorCode)
			assert.LessOrEqual(t, len(tokenErr.Body), 512, "a non-JSON body is truncated")
			assert.Contains(t, err.Error(), tt.wantText)
			assert.NotContains(t, err.Error(), "\n")
			assert.Empty(t, fake.Requests(), "no API request without a token")
		})
	}

	t.Run("token source with an empty token", func(t *testing.T) {
		fake := oktatest.New(t, oktatest.WithSampleData())
		creds := auth.TokenSource(oauth2.StaticTokenSource(&oauth2.Token{}))

		_, err := newClientFor(t, fake, creds).GetSettings(ctx(t), deref(fake.Pools()[0].Id))

		require.Error(t, err)
		assert.Contains(t, err.Error(), "empty access token")
		assert.Empty(t, fake.Requests())
	})
}

func TestUngrantedScopeIsTokenError(t *testing.T) {
	s := newOAuthSetup(t, oauthOptions{granted: []string{auth.ScopeRead}})

	_, err := s.client.GetSettings(ctx(t), deref(s.fake.Pools()[0].Id))

	var tokenErr *auth.TokenError
	require.ErrorAs(t, record(t, err), &tokenErr)
	assert.Equal(t, http.StatusBadRequest, tokenErr.StatusCode)
	assert.Equal(t, "invalid_scope", tokenErr.ErrorCode)
	assert.Empty(t, s.fake.Requests())
}

func TestSecretsAbsentFromFormattedValues(t *testing.T) {
	generated, err := oktatest.GenerateClientKey()
	require.NoError(t, err)
	const secret = "test-client-secret-0123456789"
	s := newOAuthSetup(t, oauthOptions{key: generated.Signer, dpop: true})
	poolID := deref(s.fake.Pools()[0].Id)

	var texts []string
	format := func(values ...any) {
		for _, v := range values {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
				texts = append(texts, fmt.Sprintf(verb, v))
			}
		}
	}

	// A successful call puts a token, an assertion and proofs on the wire.
	_, err = s.client.GetSettings(ctx(t), poolID)
	require.NoError(t, record(t, err))

	// The failures: an unknown key, DPoP required, a revoked static token.
	other, err := oktatest.GenerateClientKey()
	require.NoError(t, err)
	require.NoError(t, s.fake.RegisterClient(oktatest.OAuthClient{
		ClientID: testClientID, Keys: []jose.JSONWebKey{{Key: other.Signer.Public(), KeyID: "key1"}},
		Scopes: []string{auth.ScopeRead, auth.ScopeManage}, RequireDPoP: true,
	}))
	s.clock.Advance(2 * time.Hour)
	_, err = s.client.GetSettings(ctx(t), poolID)
	require.Error(t, record(t, err))
	format(err)

	keyCfg := auth.PrivateKeyConfig{ClientID: testClientID, Key: other.Signer, KeyID: "key1", Clock: s.clock.Now}
	keyCreds, err := auth.PrivateKeyJWT(keyCfg)
	require.NoError(t, err)
	_, err = newClientFor(t, s.fake, keyCreds).GetSettings(ctx(t), poolID)
	var dpopErr *auth.DPoPRequiredError
	require.ErrorAs(t, record(t, err), &dpopErr)
	format(err)

	token := fetchToken(t, s.fake)
	s.fake.RevokeTokens()
	bearer := auth.BearerToken(token)
	_, err = newClientFor(t, s.fake, bearer).GetSettings(ctx(t), poolID)
	require.True(t, client.IsUnauthorized(record(t, err)), "got %v", err)
	format(err)

	secretCfg := auth.ClientSecretConfig{ClientID: testClientID, ClientSecret: secret}
	secretCreds, err := auth.ClientSecret(secretCfg)
	require.NoError(t, err)
	// Credentials whose client has fetched a DPoP-bound token. The clients
	// are not formatted: %s of a live *client.Client reads the state of its
	// transport, which races with the transport's own goroutines.
	var sentMu sync.Mutex
	var sent []string
	recorder := transportFunc(func(r *http.Request) (*http.Response, error) {
		sentMu.Lock()
		if _, credential, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok {
			sent = append(sent, credential)
		}
		sent = append(sent, r.Header.Get("DPoP"))
		sentMu.Unlock()
		return http.DefaultTransport.RoundTrip(r)
	})
	require.NoError(t, s.fake.RegisterClient(oktatest.OAuthClient{
		ClientID: "0oaFormatClient", Keys: []jose.JSONWebKey{{Key: generated.Signer.Public()}}, Scopes: []string{auth.ScopeRead},
	}))
	cachedCreds, err := auth.PrivateKeyJWT(auth.PrivateKeyConfig{
		ClientID: "0oaFormatClient", Key: generated.Signer, Scopes: []string{auth.ScopeRead}, DPoP: true, Clock: s.clock.Now,
	})
	require.NoError(t, err)
	cachedClient, err := client.New(s.fake.URL, client.WithCredentials(cachedCreds), client.WithHTTPClient(&http.Client{Transport: recorder}))
	require.NoError(t, err)
	_, err = cachedClient.GetSettings(ctx(t), poolID)
	require.NoError(t, err)
	format(keyCfg, &keyCfg, keyCreds, secretCfg, secretCreds, bearer, cachedCreds)

	s.wire.mu.Lock()
	secrets := append([]string{secret, token}, s.wire.secrets...)
	s.wire.mu.Unlock()
	sentMu.Lock()
	for _, value := range sent {
		if len(value) >= 8 {
			secrets = append(secrets, value)
		}
	}
	sentMu.Unlock()
	for line := range strings.Lines(string(generated.PEM) + string(other.PEM)) {
		if line = strings.TrimSpace(line); !strings.HasPrefix(line, "-----") {
			secrets = append(secrets, line)
		}
	}
	require.Greater(t, len(secrets), 10)
	for _, text := range texts {
		for _, value := range secrets {
			if strings.Contains(text, value) {
				t.Errorf("secret %.10q... appears in %q", value, text)
			}
		}
	}
}
