package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// equalKey reports whether two private keys are the same key.
type equalKey interface {
	Equal(crypto.PrivateKey) bool
}

func TestParsePrivateKeyPEM(t *testing.T) {
	rsaKey := testRSAKey()
	p256 := newECKey(t, elliptic.P256())
	p521 := newECKey(t, elliptic.P521())
	ecParams := pemBlock("EC PARAMETERS", []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07})
	certificate := pemBlock("CERTIFICATE", []byte("not parsed"))

	tests := []struct {
		name string
		data []byte
		want crypto.Signer
	}{
		{"PKCS#1 RSA", pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey)), rsaKey},
		{"PKCS#8 RSA", pkcs8PEM(t, rsaKey), rsaKey},
		{"SEC1 P-256", sec1PEM(t, p256), p256},
		{"PKCS#8 P-521", pkcs8PEM(t, p521), p521},
		{"SEC1 after EC PARAMETERS", append(ecParams, sec1PEM(t, p256)...), p256},
		{"key after certificate", append(certificate, pkcs8PEM(t, p256)...), p256},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := ParsePrivateKeyPEM(tt.data)
			require.NoError(t, err)
			assert.True(t, key.(equalKey).Equal(tt.want), "parsed key differs")
		})
	}
}

func TestParsePrivateKeyPEMErrors(t *testing.T) {
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	edDER, err := x509.MarshalPKCS8PrivateKey(edKey)
	require.NoError(t, err)
	p224 := newECKey(t, elliptic.P224())
	p224DER, err := x509.MarshalECPrivateKey(p224)
	require.NoError(t, err)
	publicDER, err := x509.MarshalPKIXPublicKey(&testRSAKey().PublicKey)
	require.NoError(t, err)
	legacyEncrypted := pem.EncodeToMemory(&pem.Block{
		Type:    "RSA PRIVATE KEY",
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,00"},
		Bytes:   []byte{1, 2, 3},
	})

	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "no PEM block"},
		{"public key only", pemBlock("PUBLIC KEY", publicDER), "no private key in PEM data (found PUBLIC KEY)"},
		{"PKCS#8 encrypted", pemBlock("ENCRYPTED PRIVATE KEY", []byte{1}), "encrypted"},
		{"legacy encrypted", legacyEncrypted, "encrypted"},
		{"short RSA", pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(mustRSAKey(1024))), "the RSA key has 1024 bits"},
		{"Ed25519", pemBlock("PRIVATE KEY", edDER), "unsupported PKCS#8 key type ed25519.PrivateKey"},
		{"P-224", pemBlock("EC PRIVATE KEY", p224DER), "unsupported ECDSA curve P-224"},
		{"corrupt PKCS#1", pemBlock("RSA PRIVATE KEY", []byte{0x30, 0x03, 0x02, 0x01}), "invalid PKCS#1 RSA private key"},
		{"unknown type", pemBlock("DSA PRIVATE KEY", []byte{1}), `unsupported PEM block type "DSA PRIVATE KEY"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := ParsePrivateKeyPEM(tt.data)
			assert.Nil(t, key)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestParsePrivateKeyJWK(t *testing.T) {
	rsaKey := testRSAKey()
	p384 := newECKey(t, elliptic.P384())

	key, keyID, err := ParsePrivateKeyJWK(privateJWK(t, rsaKey, "rsa-kid"))
	require.NoError(t, err)
	assert.True(t, key.(equalKey).Equal(rsaKey))
	assert.Equal(t, "rsa-kid", keyID)

	set := []byte(`{"keys":[` + string(privateJWK(t, p384, "")) + `]}`)
	key, keyID, err = ParsePrivateKeyJWK(set)
	require.NoError(t, err)
	assert.True(t, key.(equalKey).Equal(p384))
	assert.Empty(t, keyID)
}

func TestParsePrivateKeyJWKErrors(t *testing.T) {
	p256 := newECKey(t, elliptic.P256())
	other := newECKey(t, elliptic.P256())
	publicJWK, err := json.Marshal(map[string]any{"kty": "EC", "crv": "P-256",
		"x": jwkMember(t, p256, "x"), "y": jwkMember(t, p256, "y")})
	require.NoError(t, err)
	mismatched, err := json.Marshal(map[string]any{"kty": "EC", "crv": "P-256",
		"x": jwkMember(t, other, "x"), "y": jwkMember(t, other, "y"), "d": jwkMember(t, p256, "d")})
	require.NoError(t, err)
	one := string(privateJWK(t, p256, "a"))

	tests := []struct {
		name string
		data string
		want string
	}{
		{"not JSON", "-----BEGIN PRIVATE KEY-----", "not a JSON object"},
		{"public key", string(publicJWK), "the JWK is a public key"},
		{"mismatched public point", string(mismatched), `do not match the private key "d"`},
		{"two keys", `{"keys":[` + one + "," + one + `]}`, "the JWK set contains 2 keys"},
		{"empty set", `{"keys":[]}`, "the JWK set contains 0 keys"},
		{"symmetric key", `{"kty":"oct","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQ"}`, "unsupported JWK key type"},
		{"missing kty", `{"d":"AQAB"}`, "invalid JWK"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, keyID, err := ParsePrivateKeyJWK([]byte(tt.data))
			assert.Nil(t, key)
			assert.Empty(t, keyID)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

// jwkMember returns one member of key's private JWK.
func jwkMember(t *testing.T, key *ecdsa.PrivateKey, name string) string {
	t.Helper()
	var members map[string]any
	require.NoError(t, json.Unmarshal(privateJWK(t, key, ""), &members))
	return members[name].(string)
}

func TestResolveAlgorithm(t *testing.T) {
	rsaKey := testRSAKey()
	tests := []struct {
		name       string
		key        crypto.Signer
		configured string
		want       string
		wantErr    string
	}{
		{name: "RSA default", key: rsaKey, want: "RS256"},
		{name: "RSA RS384", key: rsaKey, configured: "RS384", want: "RS384"},
		{name: "RSA RS512", key: rsaKey, configured: "RS512", want: "RS512"},
		{name: "RSA PS256", key: rsaKey, configured: "PS256", wantErr: "does not fit an RSA key"},
		{name: "P-256 default", key: newECKey(t, elliptic.P256()), want: "ES256"},
		{name: "P-384 default", key: newECKey(t, elliptic.P384()), want: "ES384"},
		{name: "P-521 ES512", key: newECKey(t, elliptic.P521()), configured: "ES512", want: "ES512"},
		{name: "P-521 ES256", key: newECKey(t, elliptic.P521()), configured: "ES256", wantErr: "use ES512"},
		{name: "nil key", key: nil, wantErr: "the private key is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := resolveAlgorithm(tt.key, tt.configured)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
