package oktatest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// OAuthClient is an OAuth 2.0 client (an API Services app integration) of the
// fake org. Register it with Server.RegisterClient.
//
// A client with Keys authenticates with private_key_jwt, and a client with a
// Secret with client_secret_basic or client_secret_post. A client cannot
// have both, because an Okta app has one token_endpoint_auth_method.
type OAuthClient struct {
	// ClientID is the client_id, for example "0oa1example". Required.
	ClientID string

	// Keys are the public keys that verify the client's assertions: RSA keys
	// of at least 2048 bits (RS256, RS384, RS512) or EC keys on P-256, P-384
	// or P-521 (ES256, ES384, ES512). A private key is accepted and only its
	// public half is kept. A key without KeyID gets its base64url SHA-256
	// thumbprint as key ID; key IDs must be distinct. An assertion whose kid
	// header names no key is rejected, and so is an assertion without kid
	// when the client has more than one key. A key whose Algorithm is set
	// verifies only that algorithm. ParseJWKS reads keys from a JWKS
	// document.
	Keys []jose.JSONWebKey

	// Secret is the client secret for client_secret_basic and
	// client_secret_post.
	Secret string

	// Scopes are the Okta API scopes granted to the client:
	// okta.agentPools.read and okta.agentPools.manage. A token request may
	// ask only for granted scopes.
	Scopes []string

	// RequireDPoP rejects token requests that carry no DPoP proof, like the
	// "Require Demonstrating Proof of Possession (DPoP) header in token
	// requests" setting of an Okta app.
	RequireDPoP bool
}

// oauthClientRecord is a registered client, validated and copied.
type oauthClientRecord struct {
	id          string
	keys        []jose.JSONWebKey // public keys only
	secret      string
	scopes      []string
	requireDPoP bool
}

// TokenRequest is one request to the token endpoint, as Server.TokenRequestLog
// reports it. It holds no secret: no client secret, assertion or proof.
type TokenRequest struct {
	Time time.Time // by the server's clock

	// ClientID is the authenticated client, or the client the request
	// claimed to be when authentication failed; empty when unknown.
	ClientID string

	// AuthMethod is the client authentication method the request used:
	// "private_key_jwt", "client_secret_basic", "client_secret_post", or
	// empty when it used none.
	AuthMethod string

	GrantType string
	Scopes    []string // as requested
	DPoP      bool     // the request carried a DPoP header

	Status           int    // HTTP status of the response
	Error            string // OAuth error code, such as invalid_client; empty on success
	ErrorDescription string
}

// ClientKey is a key pair generated for a private_key_jwt client.
type ClientKey struct {
	// Signer is the RSA private key that signs client assertions.
	Signer crypto.Signer

	// PublicJWK is the public key, with KeyID (its SHA-256 thumbprint),
	// Algorithm RS256 and Use "sig" set, for OAuthClient.Keys.
	PublicJWK jose.JSONWebKey

	// PEM is the private key as a PKCS #8 "PRIVATE KEY" PEM block.
	PEM []byte
}

// GenerateClientKey generates a 2048-bit RSA key pair for a private_key_jwt
// client, the kind of key Okta generates for an API Services app. A command
// that runs the fake standalone can register PublicJWK and hand the PEM to
// the user.
func GenerateClientKey() (*ClientKey, error) {
	private, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("oktatest: generate RSA client key: %w", err)
	}

	public := jose.JSONWebKey{Key: &private.PublicKey, Algorithm: string(jose.RS256), Use: "sig"}
	thumbprint, err := public.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("oktatest: compute client key thumbprint: %w", err)
	}
	public.KeyID = base64.RawURLEncoding.EncodeToString(thumbprint)

	der, err := x509.MarshalPKCS8PrivateKey(private)
	if err != nil {
		return nil, fmt.Errorf("oktatest: encode client key: %w", err)
	}

	return &ClientKey{
		Signer:    private,
		PublicJWK: public,
		PEM:       pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}),
	}, nil
}

// ParseJWKS reads the keys of a JSON Web Key Set ({"keys": [...]}) or of a
// single JSON Web Key, as Okta accepts them for an app's public keys, and
// returns their public halves for OAuthClient.Keys. It returns an error when
// the JSON is invalid, contains no key, or contains a key that
// RegisterClient would reject.
func ParseJWKS(data []byte) ([]jose.JSONWebKey, error) {
	var probe struct {
		Keys json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("oktatest: parse JWKS: %w", err)
	}

	var keys []jose.JSONWebKey
	if probe.Keys != nil {
		var set jose.JSONWebKeySet
		if err := json.Unmarshal(data, &set); err != nil {
			return nil, fmt.Errorf("oktatest: parse JWKS: %w", err)
		}
		keys = set.Keys
	} else {
		var key jose.JSONWebKey
		if err := json.Unmarshal(data, &key); err != nil {
			return nil, fmt.Errorf("oktatest: parse JWK: %w", err)
		}
		keys = []jose.JSONWebKey{key}
	}

	if len(keys) == 0 {
		return nil, errors.New("oktatest: parse JWKS: the set has no keys; add at least one RSA or EC public key")
	}
	public := make([]jose.JSONWebKey, 0, len(keys))
	for i, key := range keys {
		checked, err := oauthPublicSigningKey(key)
		if err != nil {
			return nil, fmt.Errorf("oktatest: parse JWKS: key %d: %w", i, err)
		}
		public = append(public, checked)
	}
	return public, nil
}

// registerClient validates c and registers it, replacing any client with the
// same ID. Tokens already issued to a replaced client stay valid.
func (a *authServer) registerClient(c OAuthClient) error {
	record, err := newOAuthClientRecord(c)
	if err != nil {
		return err
	}

	a.mu.Lock()
	defer a.mu.Unlock()

	a.clients[record.id] = record
	return nil
}

// newOAuthClientRecord checks c and copies it.
func newOAuthClientRecord(c OAuthClient) (*oauthClientRecord, error) {
	if c.ClientID == "" {
		return nil, errors.New("oktatest: register client: ClientID is empty; set it to the client_id the client sends")
	}
	if len(c.Keys) == 0 && c.Secret == "" {
		return nil, fmt.Errorf("oktatest: register client %q: no credentials; set Keys for private_key_jwt or Secret for client secrets", c.ClientID)
	}
	if len(c.Keys) > 0 && c.Secret != "" {
		return nil, fmt.Errorf("oktatest: register client %q: both Keys and Secret are set; an Okta app has one authentication method, so set only one", c.ClientID)
	}

	keys := make([]jose.JSONWebKey, 0, len(c.Keys))
	kids := make(map[string]bool)
	for i, key := range c.Keys {
		public, err := oauthPublicSigningKey(key)
		if err != nil {
			return nil, fmt.Errorf("oktatest: register client %q: key %d: %w", c.ClientID, i, err)
		}
		if kids[public.KeyID] {
			return nil, fmt.Errorf("oktatest: register client %q: key %d: KeyID %q is used by another key; give each key a distinct KeyID", c.ClientID, i, public.KeyID)
		}
		kids[public.KeyID] = true
		keys = append(keys, public)
	}

	scopes := make([]string, 0, len(c.Scopes))
	for _, scope := range c.Scopes {
		if !oauthKnownScopes[scope] {
			return nil, fmt.Errorf("oktatest: register client %q: unknown scope %q; grant %s or %s", c.ClientID, scope, oauthScopeRead, oauthScopeManage)
		}
		if !slices.Contains(scopes, scope) {
			scopes = append(scopes, scope)
		}
	}

	return &oauthClientRecord{
		id:          c.ClientID,
		keys:        keys,
		secret:      c.Secret,
		scopes:      scopes,
		requireDPoP: c.RequireDPoP,
	}, nil
}

// oauthPublicSigningKey returns the public half of key after checking that
// it can verify one of the algorithms Okta accepts for client assertions.
func oauthPublicSigningKey(key jose.JSONWebKey) (jose.JSONWebKey, error) {
	if _, symmetric := key.Key.([]byte); symmetric {
		return jose.JSONWebKey{}, errors.New("symmetric keys are not supported; use an RSA or EC key")
	}
	if key.Key == nil || !key.Valid() {
		return jose.JSONWebKey{}, fmt.Errorf("the key of type %T is empty, invalid or not supported; use an RSA or EC key", key.Key)
	}

	public := key.Public()

	switch k := public.Key.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return jose.JSONWebKey{}, fmt.Errorf("the RSA key has %d bits; use at least 2048", k.N.BitLen())
		}
	case *ecdsa.PublicKey:
		if oauthCurveAlgorithm(k) == "" {
			return jose.JSONWebKey{}, fmt.Errorf("the EC curve %s is not supported; use P-256, P-384 or P-521", k.Curve.Params().Name)
		}
	default:
		return jose.JSONWebKey{}, fmt.Errorf("the key type %T is not supported; use an RSA or EC key", public.Key)
	}

	if public.Use != "" && public.Use != "sig" {
		return jose.JSONWebKey{}, fmt.Errorf("the key's use is %q; set it to \"sig\" or leave it empty", public.Use)
	}
	if public.Algorithm != "" && !oauthKeyFitsAlgorithm(public.Key, public.Algorithm) {
		return jose.JSONWebKey{}, fmt.Errorf("the key's alg %q does not fit the key; use one of RS256, RS384, RS512 for RSA or the ES algorithm of the EC curve", public.Algorithm)
	}

	// NOTE: every public key of an Okta app has a kid; the fake gives a key
	// without one its SHA-256 thumbprint, as GenerateClientKey does.
	if public.KeyID == "" {
		thumbprint, err := public.Thumbprint(crypto.SHA256)
		if err != nil {
			return jose.JSONWebKey{}, fmt.Errorf("compute the key's thumbprint: %w", err)
		}
		public.KeyID = base64.RawURLEncoding.EncodeToString(thumbprint)
	}
	return public, nil
}

// RegisterClient registers an OAuth 2.0 client of the fake org, replacing a
// registered client with the same ClientID (tokens already issued to it stay
// valid). It returns an error when:
//
//   - ClientID is empty, or neither or both of Keys and Secret are set;
//   - a key is not an RSA (at least 2048 bits) or EC (P-256, P-384, P-521)
//     signing key, or two keys have the same key ID;
//   - a scope is not an Agent Pools API scope.
//
// NOTE: Okta's org authorization server accepts only private_key_jwt for
// client credentials requests with Okta API scopes. The fake also accepts a
// client registered with a Secret, so OIN-style integrations can be tested.
func (s *Server) RegisterClient(c OAuthClient) error {
	return s.oauth.registerClient(c)
}

// SetTokenLifetime sets how long access tokens issued from now on stay
// valid; d <= 0 restores DefaultTokenLifetime (one hour). The expires_in of
// the token response is d rounded up to whole seconds.
func (s *Server) SetTokenLifetime(d time.Duration) {
	if d <= 0 {
		d = DefaultTokenLifetime
	}

	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()

	s.oauth.tokenLifetime = d
}

// RequireResourceDPoPNonce sets whether API requests with a DPoP-bound token
// must carry a server nonce in their DPoP proof. When required, a proof
// without a current nonce gets 401 with WWW-Authenticate error
// "use_dpop_nonce" and a DPoP-Nonce header. Okta does not require one; the
// default is false.
func (s *Server) RequireResourceDPoPNonce(require bool) {
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()

	s.oauth.requireResourceNonce = require
}

// RotateDPoPNonces invalidates every DPoP nonce the fake has handed out, at
// the token endpoint and the API, so that the next proof gets a
// use_dpop_nonce error with a new nonce.
func (s *Server) RotateDPoPNonces() {
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()

	s.oauth.tokenNonces = oauthNonces{}
	s.oauth.resourceNonces = oauthNonces{}
}

// TokenRequests returns how many requests the token endpoint received,
// successful or not.
func (s *Server) TokenRequests() int {
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()

	return s.oauth.tokenRequests
}

// IssuedTokens returns how many access tokens the token endpoint issued,
// including tokens that have since expired or been revoked.
func (s *Server) IssuedTokens() int {
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()

	return s.oauth.issuedTokens
}

// TokenRequestLog returns a copy of the log of token requests, oldest first.
// The log keeps the last 10,000 requests.
func (s *Server) TokenRequestLog() []TokenRequest {
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()

	log := make([]TokenRequest, len(s.oauth.requestLog))
	for i, entry := range s.oauth.requestLog {
		entry.Scopes = slices.Clone(entry.Scopes)
		log[i] = entry
	}
	return log
}

// RevokeTokens deletes every access token issued so far, so that the next
// API request with one of them gets 401 with error "invalid_token".
func (s *Server) RevokeTokens() {
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()

	clear(s.oauth.tokens)
}
