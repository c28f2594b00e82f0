package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func pemBlock(blockType string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der})
}

func pkcs8PEM(t *testing.T, key crypto.Signer) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return pemBlock("PRIVATE KEY", der)
}

func sec1PEM(t *testing.T, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	return pemBlock("EC PRIVATE KEY", der)
}

func privateJWK(t *testing.T, key crypto.Signer, keyID string) []byte {
	t.Helper()
	data, err := json.Marshal(jose.JSONWebKey{Key: key, KeyID: keyID, Use: "sig"})
	require.NoError(t, err)
	return data
}

// opaqueSigner hides the concrete key type, as a key in a hardware module
// would, so that signing goes through the crypto.Signer interface.
type opaqueSigner struct{ crypto.Signer }

func TestPrivateKeyJWTKeyFormats(t *testing.T) {
	rsaKey := testRSAKey()
	p256 := newECKey(t, elliptic.P256())
	p384 := newECKey(t, elliptic.P384())

	fromPEM := func(data []byte) func(t *testing.T) (crypto.Signer, string) {
		return func(t *testing.T) (crypto.Signer, string) {
			key, err := ParsePrivateKeyPEM(data)
			require.NoError(t, err)
			return key, ""
		}
	}
	fromJWK := func(data []byte) func(t *testing.T) (crypto.Signer, string) {
		return func(t *testing.T) (crypto.Signer, string) {
			key, keyID, err := ParsePrivateKeyJWK(data)
			require.NoError(t, err)
			return key, keyID
		}
	}

	tests := []struct {
		name      string
		load      func(t *testing.T) (crypto.Signer, string)
		public    crypto.PublicKey
		algorithm string // PrivateKeyConfig.Algorithm
		wantAlg   string
		keyID     string // PrivateKeyConfig.KeyID, overriding the loaded one
	}{
		{name: "RS256 PKCS#1", load: fromPEM(pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey))), public: &rsaKey.PublicKey, wantAlg: "RS256"},
		{name: "RS256 PKCS#8", load: fromPEM(pkcs8PEM(t, rsaKey)), public: &rsaKey.PublicKey, wantAlg: "RS256", keyID: "kid-pkcs8"},
		{name: "RS512 PKCS#8", load: fromPEM(pkcs8PEM(t, rsaKey)), public: &rsaKey.PublicKey, algorithm: "RS512", wantAlg: "RS512"},
		{name: "RS256 JWK", load: fromJWK(privateJWK(t, rsaKey, "kid-rsa")), public: &rsaKey.PublicKey, wantAlg: "RS256"},
		{name: "ES256 SEC1", load: fromPEM(sec1PEM(t, p256)), public: &p256.PublicKey, wantAlg: "ES256", keyID: "kid-sec1"},
		{name: "ES256 PKCS#8", load: fromPEM(pkcs8PEM(t, p256)), public: &p256.PublicKey, wantAlg: "ES256"},
		{name: "ES256 JWK", load: fromJWK(privateJWK(t, p256, "kid-ec")), public: &p256.PublicKey, wantAlg: "ES256"},
		{name: "ES384 SEC1", load: fromPEM(sec1PEM(t, p384)), public: &p384.PublicKey, wantAlg: "ES384"},
		{
			name:    "ES256 opaque signer",
			load:    func(*testing.T) (crypto.Signer, string) { return opaqueSigner{p256}, "kid-hsm" },
			public:  &p256.PublicKey,
			wantAlg: "ES256",
		},
		{
			name:      "RS384 opaque signer",
			load:      func(*testing.T) (crypto.Signer, string) { return opaqueSigner{rsaKey}, "" },
			public:    &rsaKey.PublicKey,
			algorithm: "RS384",
			wantAlg:   "RS384",
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			key, keyID := tt.load(t)
			if tt.keyID != "" {
				keyID = tt.keyID
			}
			clock := newTestClock()
			f := newFakeOkta(t, clock)
			f.assertionKey = tt.public
			f.assertionAlg = tt.wantAlg
			f.assertionKeyID = keyID

			rt := privateKeyTransport(t, f, PrivateKeyConfig{Key: key, KeyID: keyID, Algorithm: tt.algorithm})
			mustGet(t, rt, f)
			mustGet(t, rt, f)
			tokenRequests, apiRequests := f.counts()
			assert.Equal(t, 1, tokenRequests, "token requests before expiry")
			assert.Equal(t, 2, apiRequests)

			// An expired token makes a new token request with a new assertion;
			// the fake server rejects a reused jti.
			clock.Advance(time.Hour)
			mustGet(t, rt, f)
			tokenRequests, _ = f.counts()
			assert.Equal(t, 2, tokenRequests, "token requests after expiry")
			for _, auth := range f.apiAuthSeen() {
				assert.True(t, strings.HasPrefix(auth, "Bearer at-"), "Authorization %q", auth)
			}
		})
	}
}

func TestPrivateKeyJWTKidAbsentWhenUnset(t *testing.T) {
	key := newECKey(t, elliptic.P256())
	f := newFakeOkta(t, newTestClock())
	f.assertionKey = &key.PublicKey
	f.assertionAlg = "ES256"

	var kidPresent bool
	f.tokenResponse = func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		jws, err := jose.ParseSigned(r.PostForm.Get("client_assertion"), signatureAlgorithms)
		require.NoError(t, err)
		_, kidPresent = jws.Signatures[0].Protected.ExtraHeaders["kid"]
		kidPresent = kidPresent || jws.Signatures[0].Protected.KeyID != ""
		writeJSON(w, http.StatusOK, map[string]any{"access_token": "at-1", "token_type": "Bearer", "expires_in": 3600})
	}
	f.tokens["at-1"] = ""

	rt := privateKeyTransport(t, f, PrivateKeyConfig{Key: key})
	resp, err := get(t, rt, f)
	require.NoError(t, err)
	resp.Body.Close()
	assert.False(t, kidPresent, "assertion has a kid header without KeyID")
}

func TestPrivateKeyJWTScopesAndTokenURL(t *testing.T) {
	key := newECKey(t, elliptic.P256())
	f := newFakeOkta(t, newTestClock())
	f.assertionKey = &key.PublicKey
	f.assertionAlg = "ES256"
	f.wantScope = ScopeRead

	rt := privateKeyTransport(t, f, PrivateKeyConfig{
		Key:      key,
		Scopes:   []string{ScopeRead},
		TokenURL: f.server.URL + tokenPath,
	})
	mustGet(t, rt, f)

	tokenRequests, _ := f.counts()
	assert.Equal(t, 1, tokenRequests)
}

func TestPrivateKeyJWTConfigErrors(t *testing.T) {
	rsaKey := testRSAKey()
	p256 := newECKey(t, elliptic.P256())
	var nilKey *ecdsa.PrivateKey

	tests := []struct {
		name string
		cfg  PrivateKeyConfig
		want string
	}{
		{"missing client ID", PrivateKeyConfig{Key: p256}, "PrivateKeyConfig.ClientID is empty"},
		{"missing key", PrivateKeyConfig{ClientID: "c"}, "PrivateKeyConfig.Key is nil"},
		{"nil key pointer", PrivateKeyConfig{ClientID: "c", Key: nilKey}, "PrivateKeyConfig.Key is nil"},
		{"ES algorithm for RSA key", PrivateKeyConfig{ClientID: "c", Key: rsaKey, Algorithm: "ES256"}, `algorithm "ES256" does not fit an RSA key`},
		{"wrong curve algorithm", PrivateKeyConfig{ClientID: "c", Key: p256, Algorithm: "ES384"}, `algorithm "ES384" does not fit the ECDSA key; use ES256`},
		{"HMAC algorithm", PrivateKeyConfig{ClientID: "c", Key: rsaKey, Algorithm: "HS256"}, `algorithm "HS256" does not fit`},
		{"negative expiry delta", PrivateKeyConfig{ClientID: "c", Key: p256, ExpiryDelta: -time.Second}, "ExpiryDelta is negative"},
		{"relative token URL", PrivateKeyConfig{ClientID: "c", Key: p256, TokenURL: "/oauth2/v1/token"}, "invalid PrivateKeyConfig.TokenURL"},
		{"scope with space", PrivateKeyConfig{ClientID: "c", Key: p256, Scopes: []string{"a b"}}, `invalid scope "a b"`},
		{"DPoP key without DPoP", PrivateKeyConfig{ClientID: "c", Key: p256, DPoPKey: p256}, "DPoPKey is set but PrivateKeyConfig.DPoP is false"},
		{"short RSA DPoP key", PrivateKeyConfig{ClientID: "c", Key: p256, DPoP: true, DPoPKey: mustRSAKey(1024)}, "invalid PrivateKeyConfig.DPoPKey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			creds, err := PrivateKeyJWT(tt.cfg)
			require.Error(t, err)
			assert.Nil(t, creds)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "auth: "), "error %q lacks the package prefix", err)
		})
	}
}

func TestRoundTripperRejectsBadOrgURL(t *testing.T) {
	creds, err := PrivateKeyJWT(PrivateKeyConfig{ClientID: "c", Key: newECKey(t, elliptic.P256())})
	require.NoError(t, err)

	_, err = creds.RoundTripper(nil, nil)
	assert.ErrorContains(t, err, "org URL is nil")

	_, err = creds.RoundTripper(mustParseURL(t, "ftp://example.okta.com"), nil)
	assert.ErrorContains(t, err, "use an https URL")

	_, err = creds.RoundTripper(mustParseURL(t, "https://"), nil)
	assert.ErrorContains(t, err, "host is missing")
}
