package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testKeyPEM returns a new ECDSA P-256 private key as a PKCS #8 PEM block.
func testKeyPEM(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func getenvFrom(env map[string]string) func(string) string {
	return func(name string) string { return env[name] }
}

func TestLoadConfigAPIToken(t *testing.T) {
	env := map[string]string{envOrgURL: " https://acme.okta.com ", envToken: "00secret"}

	c, err := loadConfig(getenvFrom(env), "")

	require.NoError(t, err)
	assert.Equal(t, "https://acme.okta.com", c.orgURL)
	assert.Equal(t, envOrgURL, c.orgSource)
	assert.Equal(t, modeSSWS, c.mode)
	assert.Equal(t, "00secret", c.token)
	_, err = c.credentials()
	assert.NoError(t, err)
}

func TestLoadConfigOrgFlagWins(t *testing.T) {
	env := map[string]string{envOrgURL: "https://env.okta.com", envToken: "00secret"}

	c, err := loadConfig(getenvFrom(env), "https://flag.okta.com")

	require.NoError(t, err)
	assert.Equal(t, "https://flag.okta.com", c.orgURL)
	assert.Equal(t, "--org", c.orgSource)
}

func TestLoadConfigModeIgnoresCase(t *testing.T) {
	for _, value := range []string{"privatekey", "PRIVATEKEY", "PrivateKey", " privateKey "} {
		env := map[string]string{
			envOrgURL:            "https://acme.okta.com",
			envAuthorizationMode: value,
			envClientID:          "0oaclient",
			envPrivateKey:        testKeyPEM(t),
		}

		c, err := loadConfig(getenvFrom(env), "")

		require.NoError(t, err, value)
		assert.Equal(t, modePrivateKey, c.mode, value)
	}
}

func TestLoadConfigPrivateKey(t *testing.T) {
	keyPEM := testKeyPEM(t)
	keyFile := filepath.Join(t.TempDir(), "key.pem")
	require.NoError(t, os.WriteFile(keyFile, []byte(keyPEM), 0o600))

	tests := []struct {
		name  string
		value string
	}{
		{"PEM text", keyPEM},
		{"file path", keyFile},
		{"PEM on one line", strings.ReplaceAll(strings.TrimSpace(keyPEM), "\n", `\n`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{
				envOrgURL:            "https://acme.okta.com",
				envAuthorizationMode: "PrivateKey",
				envClientID:          "0oaclient",
				envPrivateKey:        tt.value,
				envPrivateKeyID:      "kid-1",
				envScopes:            "okta.agentPools.read, okta.agentPools.manage",
				envDPoP:              "true",
			}

			c, err := loadConfig(getenvFrom(env), "")
			require.NoError(t, err)
			_, err = c.credentials()
			require.NoError(t, err)

			assert.Equal(t, "0oaclient", c.clientID)
			assert.Equal(t, "kid-1", c.keyID)
			assert.Equal(t, []string{"okta.agentPools.read", "okta.agentPools.manage"}, c.scopes)
			assert.True(t, c.dpop)
		})
	}
}

func TestParseScopes(t *testing.T) {
	assert.Equal(t, []string{"a", "b", "c"}, parseScopes("a,b c"))
	assert.Equal(t, []string{"a", "b"}, parseScopes(" a ,, b\t"))
	assert.Empty(t, parseScopes(" , "))
}

func TestLoadConfigClientSecret(t *testing.T) {
	env := map[string]string{
		envOrgURL:            "https://acme.okta.com",
		envAuthorizationMode: "clientsecret",
		envClientID:          "0oaclient",
		envClientSecret:      "s3cret-value",
	}

	c, err := loadConfig(getenvFrom(env), "")
	require.NoError(t, err)
	_, err = c.credentials()
	require.NoError(t, err)

	assert.Equal(t, modeClientSecret, c.mode)
	assert.Equal(t, "s3cret-value", c.clientSecret)
	assert.Empty(t, c.scopes, "no scopes leaves the default to the auth package")
}

func TestLoadConfigErrorsNameVariable(t *testing.T) {
	base := map[string]string{envOrgURL: "https://acme.okta.com"}
	with := func(extra map[string]string) map[string]string {
		env := map[string]string{}
		for k, v := range base {
			env[k] = v
		}
		for k, v := range extra {
			env[k] = v
		}
		return env
	}

	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"no org", map[string]string{envToken: "00secret"}, envOrgURL + " is not set"},
		{"no token", with(nil), envToken + " is not set"},
		{"token with space", with(map[string]string{envToken: "00secret value"}), envToken + " contains white space"},
		{"unknown mode", with(map[string]string{envAuthorizationMode: "Kerberos"}), envAuthorizationMode + `="Kerberos" is not supported`},
		{"invalid DPoP", with(map[string]string{envToken: "00secret", envDPoP: "sometimes"}), envDPoP + `="sometimes" is not a boolean`},
		{"DPoP with API token", with(map[string]string{envToken: "00secret", envDPoP: "true"}), envDPoP + "=true needs OAuth 2.0"},
		{"no client ID", with(map[string]string{envAuthorizationMode: "PrivateKey", envPrivateKey: "x"}), envClientID + " is not set"},
		{"no private key", with(map[string]string{envAuthorizationMode: "PrivateKey", envClientID: "0oa"}), envPrivateKey + " is not set"},
		{"missing key file", with(map[string]string{envAuthorizationMode: "PrivateKey", envClientID: "0oa", envPrivateKey: "/nonexistent/key.pem"}), envPrivateKey + " is neither PEM text, a JWK, nor the path of a readable key file"},
		{"no client secret", with(map[string]string{envAuthorizationMode: "ClientSecret", envClientID: "0oa"}), envClientSecret + " is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(getenvFrom(tt.env), "")

			usage, ok := errors.AsType[*usageError](err)
			require.True(t, ok, "got %v; want a *usageError", err)
			assert.Contains(t, usage.msg, tt.want)
			assert.NotContains(t, usage.msg, "00secret")
		})
	}
}

func TestInvalidPrivateKeyIsUsageErrorWithoutKey(t *testing.T) {
	secretText := "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGJ1dCBzZWNyZXQ=\n-----END PRIVATE KEY-----\n"
	env := map[string]string{
		envOrgURL:            "https://acme.okta.com",
		envAuthorizationMode: "PrivateKey",
		envClientID:          "0oaclient",
		envPrivateKey:        secretText,
	}

	c, err := loadConfig(getenvFrom(env), "")
	require.NoError(t, err)
	_, err = c.credentials()

	usage, ok := errors.AsType[*usageError](err)
	require.True(t, ok, "got %v; want a *usageError", err)
	assert.True(t, strings.HasPrefix(usage.msg, envPrivateKey+": "), usage.msg)
	assert.NotContains(t, usage.msg, "bm90IGEga2V5IGJ1dCBzZWNyZXQ")
}

// testKeyJWK returns a new ECDSA P-256 private key as a JWK with the key ID
// kid, or without one when kid is "".
func testKeyJWK(t *testing.T, kid string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	data, err := jose.JSONWebKey{Key: key, KeyID: kid, Algorithm: "ES256"}.MarshalJSON()
	require.NoError(t, err)
	return string(data)
}

func TestLoadConfigPrivateKeyJWK(t *testing.T) {
	jwk := testKeyJWK(t, "jwk-kid")
	keyFile := filepath.Join(t.TempDir(), "key.json")
	require.NoError(t, os.WriteFile(keyFile, []byte(jwk), 0o600))

	tests := []struct {
		name      string
		value     string
		keyIDVar  string
		wantKeyID string
	}{
		{"JWK text", jwk, "", "jwk-kid"},
		{"JWK set", `{"keys": [` + jwk + `]}`, "", "jwk-kid"},
		{"JWK file", keyFile, "", "jwk-kid"},
		{"key ID variable wins", jwk, "env-kid", "env-kid"},
		{"JWK without kid", testKeyJWK(t, ""), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{
				envOrgURL:            "https://acme.okta.com",
				envAuthorizationMode: "PrivateKey",
				envClientID:          "0oaclient",
				envPrivateKey:        tt.value,
				envPrivateKeyID:      tt.keyIDVar,
			}

			c, err := loadConfig(getenvFrom(env), "")
			require.NoError(t, err)
			key, keyID, err := c.parsePrivateKey()
			require.NoError(t, err)
			_, err = c.credentials()
			require.NoError(t, err)

			assert.IsType(t, &ecdsa.PrivateKey{}, key)
			assert.Equal(t, tt.wantKeyID, keyID)
		})
	}
}

func TestPrivateKeyValueNeverPrinted(t *testing.T) {
	// Each value contains "SECRET", which must appear in no output.
	tests := []struct {
		name  string
		value string
		want  string // text of the message on standard error
	}{
		{"missing file", "/run/secrets/okta-SECRET.pem", "is neither PEM text, a JWK, nor the path of a readable key file"},
		{"JWK with invalid members", `{"kty":"RSA","d":"SECRETD","n":"SECRETN","e":"AQAB"}`, envPrivateKey + ": "},
		{"truncated JWK", `{"kty":"EC","crv":"P-256","d":"SECRETD"`, envPrivateKey + ": "},
		{"JWK without braces", `"kty":"RSA","d":"SECRETD"`, "is neither PEM text"},
		{"base64 key body", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7SECRETBAQEFAASCBKc/+", "is neither PEM text"},
		{"garbage", "SECRET\x00\tnot a key at all", "is neither PEM text"},
		{"long value", strings.Repeat("SECRET", 100), "600 bytes long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{
				envOrgURL:            "https://acme.okta.com",
				envAuthorizationMode: "PrivateKey",
				envClientID:          "0oaclient",
				envPrivateKey:        tt.value,
			}

			res := runCLI(t, env, "", "pools", "list")

			assert.Equal(t, exitUsage, res.code)
			assert.Contains(t, res.stderr, tt.want)
			assert.NotContains(t, res.stderr, "SECRET")
			assert.NotContains(t, res.stdout, "SECRET")
		})
	}
}

func TestMissingConfigExitsTwo(t *testing.T) {
	res := runCLI(t, map[string]string{envOrgURL: "https://acme.okta.com"}, "", "pools", "list")

	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "agentpools: "+envToken+" is not set")
	assert.Empty(t, res.stdout)
}

func TestInvalidOrgURLExitsTwo(t *testing.T) {
	env := map[string]string{envOrgURL: "http://acme.okta.com", envToken: "00secret"}

	res := runCLI(t, env, "", "settings", "get", "P")

	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "plain http")
	assert.Contains(t, res.stderr, "(the org URL comes from "+envOrgURL+")")
	assert.NotContains(t, res.stderr, "00secret")
}
