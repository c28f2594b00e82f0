package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// keySecrets returns strings that reveal key: every line of its PKCS#8 PEM,
// the whole base64 of the DER, and its private scalar in decimal, hex and
// base64url, as a JWK "d" member shows it.
func keySecrets(t *testing.T, key any) []string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)

	secrets := []string{base64.StdEncoding.EncodeToString(der)}
	for line := range strings.Lines(string(pemBlock("PRIVATE KEY", der))) {
		if line = strings.TrimSpace(line); !strings.HasPrefix(line, "-----") {
			secrets = append(secrets, line)
		}
	}

	switch k := key.(type) {
	case *rsa.PrivateKey:
		secrets = append(secrets, k.D.String(), k.D.Text(16), base64.RawURLEncoding.EncodeToString(k.D.Bytes()),
			k.Primes[0].String(), base64.RawURLEncoding.EncodeToString(k.Primes[0].Bytes()))
	case *ecdsa.PrivateKey:
		// Bytes returns the scalar at the curve's full length, as a JWK "d"
		// member holds it.
		scalar, err := k.Bytes()
		require.NoError(t, err)
		d := new(big.Int).SetBytes(scalar)
		secrets = append(secrets, d.String(), d.Text(16), base64.RawURLEncoding.EncodeToString(scalar))
	}
	return secrets
}

// echoTokenResponse responds to a token request with 400 and a body that
// echoes everything secret in the request, in JSON or as plain text.
func echoTokenResponse(asJSON bool) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		echo := string(body) + " auth=" + r.Header.Get("Authorization") + " dpop=" + r.Header.Get("DPoP")
		if asJSON {
			writeOAuthError(w, http.StatusBadRequest, "invalid_client", "rejected "+echo)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, echo)
	}
}

func TestSecretsNeverLeak(t *testing.T) {
	const (
		apiToken     = "SSWS-SECRET-api-token-0001"
		bearerToken  = "BEARER-SECRET-token-0002"
		clientSecret = "CLIENT+SECRET/0003=&x"
		sourceToken  = "SOURCE-SECRET-token-0004"
	)
	rsaKey := testRSAKey()
	ecKey := newECKey(t, elliptic.P256())
	dpopKey := newECKey(t, elliptic.P384())

	rsaFromPEM, err := ParsePrivateKeyPEM(pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey)))
	require.NoError(t, err)
	ecFromJWK, ecKeyID, err := ParsePrivateKeyJWK(privateJWK(t, ecKey, "kid-1"))
	require.NoError(t, err)

	secrets := []string{apiToken, bearerToken, clientSecret, url.QueryEscape(clientSecret), sourceToken}
	secrets = append(secrets, keySecrets(t, rsaKey)...)
	secrets = append(secrets, keySecrets(t, ecKey)...)
	secrets = append(secrets, keySecrets(t, dpopKey)...)

	var logs lockedBuffer
	logger := debugLogger(&logs)
	var outputs []string
	record := func(values ...any) {
		for _, v := range values {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
				outputs = append(outputs, fmt.Sprintf(verb, v))
			}
			data, _ := json.Marshal(v)
			outputs = append(outputs, string(data))
			logger.Info("value", "value", v)
			slog.New(slog.NewJSONHandler(&logs, nil)).Info("value", "value", v)
		}
	}
	recordErr := func(err error) {
		if assert.Error(t, err) {
			outputs = append(outputs, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
			logger.Debug("error", "err", err)
		}
	}

	f := newFakeOkta(t, newTestClock())
	f.clientSecret = clientSecret
	f.dpopRequired = true
	f.tokenNonce = "nonce-1"
	f.apiNonce = "nonce-2"
	rejectFirstToken(f)
	f.tokens[sourceToken] = ""
	orgURL := f.orgURL()

	basic := base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(f.clientID) + ":" + url.QueryEscape(clientSecret)))
	secrets = append(secrets, basic)

	privateCfg := PrivateKeyConfig{
		ClientID: f.clientID, Key: rsaFromPEM, KeyID: "kid-rsa", DPoP: true, DPoPKey: dpopKey,
		Clock: f.clock.Now, Logger: logger,
	}
	ecCfg := PrivateKeyConfig{ClientID: f.clientID, Key: ecFromJWK, KeyID: ecKeyID, Clock: f.clock.Now, Logger: logger}
	basicCfg := ClientSecretConfig{ClientID: f.clientID, ClientSecret: clientSecret, DPoP: true, Clock: f.clock.Now, Logger: logger}
	postCfg := ClientSecretConfig{ClientID: f.clientID, ClientSecret: clientSecret, AuthMethod: ClientSecretPost, Clock: f.clock.Now, Logger: logger}
	record(privateCfg, &privateCfg, ecCfg, basicCfg, &postCfg)

	privateCreds, err := PrivateKeyJWT(privateCfg)
	require.NoError(t, err)
	ecCreds, err := PrivateKeyJWT(ecCfg)
	require.NoError(t, err)
	basicCreds, err := ClientSecret(basicCfg)
	require.NoError(t, err)
	postCreds, err := ClientSecret(postCfg)
	require.NoError(t, err)
	allCreds := []Credentials{
		APIToken(apiToken), BearerToken(bearerToken), TokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: sourceToken})),
		privateCreds, ecCreds, basicCreds, postCreds,
	}
	for _, creds := range allCreds {
		rt, err := creds.RoundTripper(orgURL, nil)
		require.NoError(t, err)
		record(creds, rt)
	}

	// Successful flows: DPoP nonces at both servers and a 401 retry.
	f.assertionKey, f.assertionAlg, f.assertionKeyID = &rsaKey.PublicKey, "RS256", "kid-rsa"
	rt := mustRoundTripper(t, privateCreds, orgURL)
	mustGet(t, rt, f)
	f.assertionKey = nil
	f.secretMethod = ClientSecretBasic
	mustGet(t, mustRoundTripper(t, basicCreds, orgURL), f)
	mustGet(t, mustRoundTripper(t, allCreds[2], orgURL), f)

	// A token endpoint that echoes the request, as JSON and as plain text.
	for _, creds := range []Credentials{privateCreds, ecCreds, basicCreds, postCreds} {
		for _, asJSON := range []bool{true, false} {
			f.tokenResponse = echoTokenResponse(asJSON)
			recordErr(getError(t, mustRoundTripper(t, creds, orgURL), f))
		}
	}
	f.tokenResponse = nil

	// DPoP required but not enabled.
	f.assertionKey, f.assertionAlg, f.assertionKeyID = &ecKey.PublicKey, "ES256", "kid-1"
	err = getError(t, mustRoundTripper(t, ecCreds, orgURL), f)
	var dpopErr *DPoPRequiredError
	require.ErrorAs(t, err, &dpopErr)
	recordErr(err)

	// A network failure at the token endpoint.
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	netCfg := postCfg
	netCfg.TokenURL = closed.URL + tokenPath
	netCreds, err := ClientSecret(netCfg)
	require.NoError(t, err)
	recordErr(getError(t, mustRoundTripper(t, netCreds, orgURL), f))

	// Invalid static tokens and a DPoP token from a token source.
	_, err = APIToken(apiToken+" \n").RoundTripper(orgURL, nil)
	recordErr(err)
	dpopSource := TokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: sourceToken, TokenType: "DPoP"}))
	recordErr(getError(t, mustRoundTripper(t, dpopSource, orgURL), f))

	// Everything the server saw: access tokens, assertions and proofs.
	sent := f.secretsSent()
	require.NotEmpty(t, sent)
	secrets = append(secrets, sent...)

	outputs = append(outputs, logs.String())
	assert.Contains(t, logs.String(), "fetched access token", "debug log is empty")
	assert.Contains(t, logs.String(), "DPoP nonce; retrying")
	for _, secret := range secrets {
		for _, output := range outputs {
			if strings.Contains(output, secret) {
				t.Errorf("secret %.12q... appears in output:\n%s", secret, output)
				break
			}
		}
	}
}
