package auth

import (
	"crypto/elliptic"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// newDPoPOkta returns a fake org whose app requires DPoP and a nonce at the
// token endpoint, with a private_key_jwt client.
func newDPoPOkta(t *testing.T) (*fakeOkta, PrivateKeyConfig) {
	t.Helper()
	key := newECKey(t, elliptic.P256())
	f := newFakeOkta(t, newTestClock())
	f.assertionKey = &key.PublicKey
	f.assertionAlg = "ES256"
	f.dpopRequired = true
	f.tokenNonce = "token-nonce-1"
	return f, PrivateKeyConfig{Key: key, DPoP: true}
}

func TestDPoPTokenEndpointNonce(t *testing.T) {
	f, cfg := newDPoPOkta(t)
	rt := privateKeyTransport(t, f, cfg)

	mustGet(t, rt, f)

	tokenRequests, apiRequests := f.counts()
	assert.Equal(t, 2, tokenRequests, "token requests: one without nonce, one with")
	assert.Equal(t, 1, apiRequests)
	tokenProofs, apiProofs, apiAuth := f.tokenProofsSeen(), f.apiProofsSeen(), f.apiAuthSeen()
	require.Len(t, tokenProofs, 2)
	assert.Empty(t, tokenProofs[0].Nonce, "first proof nonce")
	assert.Equal(t, "token-nonce-1", tokenProofs[1].Nonce, "second proof nonce")
	assert.Equal(t, http.MethodPost, tokenProofs[1].Method)
	assert.Equal(t, f.server.URL+tokenPath, tokenProofs[1].URL)
	require.Len(t, apiAuth, 1)
	assert.True(t, strings.HasPrefix(apiAuth[0], "DPoP at-"), "Authorization %q", apiAuth[0])

	// The htu leaves out the query of the API request.
	require.Len(t, apiProofs, 1)
	assert.Equal(t, f.server.URL+apiPath, apiProofs[0].URL)
	assert.NotEmpty(t, apiProofs[0].TokenSHA, "API proof ath")
}

func TestDPoPTokenNonceRemembered(t *testing.T) {
	f, cfg := newDPoPOkta(t)
	clock := f.clock
	rt := privateKeyTransport(t, f, cfg)

	mustGet(t, rt, f)
	clock.Advance(time.Hour)
	mustGet(t, rt, f)

	// The second token request uses the stored nonce at once.
	tokenRequests, _ := f.counts()
	assert.Equal(t, 3, tokenRequests)
	tokenProofs := f.tokenProofsSeen()
	require.Len(t, tokenProofs, 3)
	assert.Equal(t, "token-nonce-1", tokenProofs[2].Nonce)
}

func TestDPoPTokenNonceRetriedOnce(t *testing.T) {
	f, cfg := newDPoPOkta(t)
	var nonces atomic.Int32
	f.tokenResponse = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("DPoP-Nonce", fmt.Sprintf("nonce-%d", nonces.Add(1)))
		writeOAuthError(w, http.StatusBadRequest, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof.")
	}
	rt := privateKeyTransport(t, f, cfg)

	err := getError(t, rt, f)

	require.Error(t, err)
	var tokenErr *TokenError
	require.ErrorAs(t, err, &tokenErr)
	assert.Equal(t, "use_dpop_nonce", tokenErr.ErrorCode)
	tokenRequests, apiRequests := f.counts()
	assert.Equal(t, 2, tokenRequests)
	assert.Equal(t, 0, apiRequests)
}

func TestDPoPResourceServerNonce(t *testing.T) {
	f, cfg := newDPoPOkta(t)
	f.apiNonce = "api-nonce-7"
	rt := privateKeyTransport(t, f, cfg)

	mustGet(t, rt, f)

	_, apiRequests := f.counts()
	assert.Equal(t, 2, apiRequests, "API requests: the challenge and the retry")
	apiProofs := f.apiProofsSeen()
	require.Len(t, apiProofs, 2)
	assert.Empty(t, apiProofs[0].Nonce)
	assert.Equal(t, "api-nonce-7", apiProofs[1].Nonce)
	assert.NotEqual(t, apiProofs[0].ID, apiProofs[1].ID, "retry reuses the jti")

	// The next request sends the remembered nonce at once.
	mustGet(t, rt, f)
	_, apiRequests = f.counts()
	assert.Equal(t, 3, apiRequests)
}

func TestDPoPResourceNonceRetriedOnce(t *testing.T) {
	f, cfg := newDPoPOkta(t)
	rt := privateKeyTransport(t, f, cfg)
	mustGet(t, rt, f)

	// From now on every API request gets a new nonce challenge.
	var challenges atomic.Int32
	f.setAPIResponse(func(w http.ResponseWriter, r *http.Request) {
		n := challenges.Add(1)
		w.Header().Set("DPoP-Nonce", "fresh-"+strings.Repeat("n", int(n)))
		w.Header().Set("WWW-Authenticate", `DPoP error="use_dpop_nonce"`)
		w.WriteHeader(http.StatusUnauthorized)
	})

	resp, err := get(t, rt, f)
	require.NoError(t, err)
	defer resp.Body.Close()

	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, int32(2), challenges.Load(), "API requests: one and one retry")
}

func TestDPoPProofFreshForEveryAttempt(t *testing.T) {
	f, cfg := newDPoPOkta(t)
	rt := privateKeyTransport(t, f, cfg)

	// A higher layer that retries calls RoundTrip again with the same
	// request; the fake server rejects any reused jti.
	req, err := http.NewRequest(http.MethodGet, f.server.URL+apiPath, nil)
	require.NoError(t, err)
	for range 3 {
		resp, err := rt.RoundTrip(req)
		require.NoError(t, err)
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	}

	apiProofs := f.apiProofsSeen()
	require.Len(t, apiProofs, 3)
	seen := map[string]bool{}
	for _, proof := range apiProofs {
		assert.False(t, seen[proof.ID], "jti %s reused", proof.ID)
		seen[proof.ID] = true
	}
	assert.Empty(t, req.Header.Get("DPoP"), "caller's request was modified")
}

func TestDPoPWithRSAKeyAndClientSecret(t *testing.T) {
	f := newFakeOkta(t, newTestClock())
	f.clientSecret = "secret-for-dpop"
	f.dpopRequired = true
	f.tokenNonce = "n1"

	creds, err := ClientSecret(ClientSecretConfig{
		ClientID:     f.clientID,
		ClientSecret: f.clientSecret,
		DPoP:         true,
		DPoPKey:      testOtherRSAKey(),
		Clock:        f.clock.Now,
	})
	require.NoError(t, err)
	rt, err := creds.RoundTripper(f.orgURL(), nil)
	require.NoError(t, err)

	mustGet(t, rt, f)

	_, apiRequests := f.counts()
	assert.Equal(t, 1, apiRequests)
	sent := f.secretsSent()
	proof, err := jose.ParseSigned(sent[len(sent)-1], signatureAlgorithms)
	require.NoError(t, err)
	assert.Equal(t, "RS256", proof.Signatures[0].Protected.Algorithm)
}

func TestDPoPRequiredButNotEnabled(t *testing.T) {
	tests := []struct {
		name       string
		code       string
		credential func(t *testing.T, f *fakeOkta) Credentials
		option     string
	}{
		{
			name: "private key, proof missing",
			code: "invalid_dpop_proof",
			credential: func(t *testing.T, f *fakeOkta) Credentials {
				key := newECKey(t, elliptic.P256())
				f.assertionKey, f.assertionAlg = &key.PublicKey, "ES256"
				creds, err := PrivateKeyJWT(PrivateKeyConfig{ClientID: f.clientID, Key: key, Clock: f.clock.Now})
				require.NoError(t, err)
				return creds
			},
			option: "PrivateKeyConfig.DPoP",
		},
		{
			name: "client secret, nonce requested",
			code: "use_dpop_nonce",
			credential: func(t *testing.T, f *fakeOkta) Credentials {
				f.clientSecret = "another-secret"
				creds, err := ClientSecret(ClientSecretConfig{ClientID: f.clientID, ClientSecret: f.clientSecret})
				require.NoError(t, err)
				return creds
			},
			option: "ClientSecretConfig.DPoP",
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeOkta(t, newTestClock())
			f.dpopRequired = true
			if tt.code == "use_dpop_nonce" {
				f.tokenResponse = func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("DPoP-Nonce", "n")
					writeOAuthError(w, http.StatusBadRequest, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof.")
				}
			}
			rt, err := tt.credential(t, f).RoundTripper(f.orgURL(), nil)
			require.NoError(t, err)

			// Through an http.Client, as package client sends requests.
			client := &http.Client{Transport: rt}
			resp, err := client.Get(f.server.URL + apiPath)

			require.Error(t, err)
			assertNoResponse(t, resp)
			var dpopErr *DPoPRequiredError
			require.ErrorAs(t, err, &dpopErr)
			assert.Equal(t, tt.option, dpopErr.Option)
			assert.Contains(t, err.Error(), "set "+tt.option+" to true")
			var tokenErr *TokenError
			require.ErrorAs(t, err, &tokenErr)
			assert.Equal(t, tt.code, tokenErr.ErrorCode)

			// A second request makes one more token request, never a loop.
			resp, err = client.Get(f.server.URL + apiPath)
			require.Error(t, err)
			assertNoResponse(t, resp)
			tokenRequests, apiRequests := f.counts()
			assert.Equal(t, 2, tokenRequests)
			assert.Equal(t, 0, apiRequests)
		})
	}
}

func TestTokenSourceDPoPToken(t *testing.T) {
	f := newFakeOkta(t, newTestClock())
	source := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "bound-token", TokenType: "DPoP"})
	rt, err := TokenSource(source).RoundTripper(f.orgURL(), nil)
	require.NoError(t, err)

	err = getError(t, rt, f)

	require.Error(t, err)
	assert.True(t, errors.Is(err, errDPoPTokenSource))
	assert.Contains(t, err.Error(), "DPoP set to true")
	_, apiRequests := f.counts()
	assert.Equal(t, 0, apiRequests)
}
