package auth_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/seed570a29ac/agentpools/auth"
)

// newExampleOrg starts a stand-in for an Okta org on 127.0.0.1. Its token
// endpoint issues a token of tokenType, and its API path responds with the
// Authorization scheme and whether a DPoP proof came with the request. A real
// org also verifies the client assertion and proofs.
func newExampleOrg(tokenType string) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth2/v1/token", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"access_token": "eyJexample",
			"token_type":   tokenType,
			"expires_in":   3600,
			"scope":        r.PostForm.Get("scope"),
		})
	})
	mux.HandleFunc("GET /api/v1/agentPools", func(w http.ResponseWriter, r *http.Request) {
		scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		fmt.Fprintf(w, "scheme=%s proof=%t", scheme, r.Header.Get("DPoP") != "")
	})
	return httptest.NewServer(mux)
}

// exampleKeyPEM returns a new P-256 private key in PKCS#8 PEM, as a key file
// would hold it.
func exampleKeyPEM() []byte {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		log.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// listAgentPools sends one API request through creds and prints the
// response.
func listAgentPools(creds auth.Credentials, orgURL string) {
	org, err := url.Parse(orgURL)
	if err != nil {
		log.Fatal(err)
	}
	rt, err := creds.RoundTripper(org, http.DefaultTransport)
	if err != nil {
		log.Fatal(err)
	}

	client := &http.Client{Transport: rt}
	resp, err := client.Get(orgURL + "/api/v1/agentPools")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()

	body, err := io.ReadAll(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, string(body))
}

func ExamplePrivateKeyJWT() {
	org := newExampleOrg("Bearer")
	defer org.Close()

	key, err := auth.ParsePrivateKeyPEM(exampleKeyPEM())
	if err != nil {
		log.Fatal(err)
	}
	creds, err := auth.PrivateKeyJWT(auth.PrivateKeyConfig{
		ClientID: "0oa1example",
		Key:      key,
		KeyID:    "key-2025",
		Scopes:   []string{auth.ScopeRead},
	})
	if err != nil {
		log.Fatal(err)
	}

	listAgentPools(creds, org.URL)
	// Output: 200 scheme=Bearer proof=false
}

func ExamplePrivateKeyJWT_dPoP() {
	org := newExampleOrg("DPoP")
	defer org.Close()

	key, err := auth.ParsePrivateKeyPEM(exampleKeyPEM())
	if err != nil {
		log.Fatal(err)
	}
	creds, err := auth.PrivateKeyJWT(auth.PrivateKeyConfig{
		ClientID: "0oa1example",
		Key:      key,
		DPoP:     true, // the app requires DPoP-bound tokens
	})
	if err != nil {
		log.Fatal(err)
	}

	listAgentPools(creds, org.URL)
	// Output: 200 scheme=DPoP proof=true
}

func ExampleAPIToken() {
	org := newExampleOrg("Bearer")
	defer org.Close()

	listAgentPools(auth.APIToken("00example-api-token"), org.URL)
	// Output: 200 scheme=SSWS proof=false
}

func ExampleTokenError() {
	org := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"invalid_client","error_description":"Invalid value for 'client_id' parameter."}`)
	}))
	defer org.Close()

	creds, err := auth.ClientSecret(auth.ClientSecretConfig{ClientID: "0oa1unknown", ClientSecret: "example-secret"})
	if err != nil {
		log.Fatal(err)
	}
	orgURL, _ := url.Parse(org.URL)
	rt, err := creds.RoundTripper(orgURL, nil)
	if err != nil {
		log.Fatal(err)
	}

	req, _ := http.NewRequest(http.MethodGet, org.URL+"/api/v1/agentPools", nil)
	resp, err := rt.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
	}

	var tokenErr *auth.TokenError
	if errors.As(err, &tokenErr) {
		fmt.Println(tokenErr.StatusCode, tokenErr.ErrorCode)
		fmt.Println(err)
	}
	// Output:
	// 401 invalid_client
	// auth: token request failed: 401 invalid_client: Invalid value for 'client_id' parameter.
}

func ExamplePrivateKeyConfig_String() {
	key, err := auth.ParsePrivateKeyPEM(exampleKeyPEM())
	if err != nil {
		log.Fatal(err)
	}
	cfg := auth.PrivateKeyConfig{ClientID: "0oa1example", Key: key, KeyID: "key-2025"}

	// Printing a config never shows the key.
	fmt.Printf("%+v\n", cfg)
	// Output: auth.PrivateKeyConfig{ClientID: "0oa1example", Key: [redacted *ecdsa.PrivateKey], KeyID: "key-2025", Algorithm: "", Scopes: [], TokenURL: "", DPoP: false, DPoPKey: <nil>, ExpiryDelta: 0s}
}
