package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/seed570a29ac/agentpools/internal/origin"
)

// Okta API scopes of the Agent Pools API.
const (
	// ScopeRead allows the list and get operations.
	ScopeRead = "okta.agentPools.read"

	// ScopeManage allows the operations that create, change or delete agent
	// pool updates.
	ScopeManage = "okta.agentPools.manage"
)

// DefaultExpiryDelta is how long before its expiry a cached access token is
// replaced when the config's ExpiryDelta is zero.
const DefaultExpiryDelta = 60 * time.Second

// defaultScopes returns the scopes requested when a config has none.
func defaultScopes() []string {
	return []string{ScopeRead, ScopeManage}
}

// ClientAuthMethod is the client authentication method of ClientSecret
// credentials: the way the client secret reaches the token endpoint (RFC
// 6749, section 2.3.1).
type ClientAuthMethod string

// Client secret authentication methods.
const (
	// ClientSecretBasic sends the client ID and secret in an
	// "Authorization: Basic" header.
	ClientSecretBasic ClientAuthMethod = "client_secret_basic"

	// ClientSecretPost sends the client ID and secret as the client_id and
	// client_secret form parameters.
	ClientSecretPost ClientAuthMethod = "client_secret_post"
)

// PrivateKeyConfig configures PrivateKeyJWT credentials: an OAuth 2.0 service
// app that authenticates with a private_key_jwt client assertion. Only
// ClientID and Key are required; every other zero value has a default.
type PrivateKeyConfig struct {
	// ClientID is the client ID of the API service app in Okta.
	ClientID string

	// Key signs the client assertions. It is an *rsa.PrivateKey of at least
	// 2048 bits, an *ecdsa.PrivateKey on P-256, P-384 or P-521, or any
	// crypto.Signer with such a public key, such as a key in a hardware
	// module. ParsePrivateKeyPEM and ParsePrivateKeyJWK load one.
	Key crypto.Signer

	// KeyID is sent as the "kid" header of the client assertion, which Okta
	// uses to choose among the app's public keys. Empty sends no "kid".
	KeyID string

	// Algorithm signs the client assertion: RS256, RS384 or RS512 for RSA
	// keys, and ES256, ES384 or ES512 for the ECDSA curves P-256, P-384 and
	// P-521. Empty means RS256 for RSA keys and the curve's algorithm for
	// ECDSA keys.
	Algorithm string

	// Scopes are the scopes requested, which the app must have been granted.
	// Empty means ScopeRead and ScopeManage. A read-only app must set
	// []string{ScopeRead}, because Okta rejects the token request when a
	// requested scope is not granted.
	Scopes []string

	// TokenURL overrides the token endpoint. Empty means the org
	// authorization server's endpoint, "{orgURL}/oauth2/v1/token", which is
	// the only one that issues tokens for Okta's management APIs.
	TokenURL string

	// DPoP turns on DPoP-bound access tokens (RFC 9449): every token
	// request, and every API request with a DPoP-bound token, carries a
	// DPoP proof. Set it when the app requires DPoP.
	DPoP bool

	// DPoPKey signs the DPoP proofs when DPoP is true. Nil means a new
	// ECDSA P-256 key, generated once by PrivateKeyJWT.
	DPoPKey crypto.Signer

	// HTTPClient sends the token requests. Nil means a client that sends
	// them through the base RoundTripper of each client and follows no
	// redirects, so that assertions only reach the token endpoint.
	HTTPClient *http.Client

	// Clock returns the current time, for assertions, DPoP proofs and token
	// expiry. Nil means time.Now.
	Clock func() time.Time

	// Logger receives debug records of token requests and retries, which
	// never contain secrets. Nil logs nothing.
	Logger *slog.Logger

	// ExpiryDelta is how long before expiry a cached token is replaced.
	// Zero means DefaultExpiryDelta; it must not be negative.
	ExpiryDelta time.Duration
}

// ClientSecretConfig configures ClientSecret credentials: an OAuth 2.0 app
// that authenticates with a client secret. Only ClientID and ClientSecret
// are required; every other zero value has a default.
//
// NOTE: Okta's org authorization server accepts only private_key_jwt for
// tokens with Okta API scopes, so against a real org these credentials only
// work with a TokenURL of a server that accepts client secrets.
type ClientSecretConfig struct {
	// ClientID is the client ID of the app in Okta.
	ClientID string

	// ClientSecret is the app's client secret.
	ClientSecret string

	// AuthMethod is the method that sends the secret. Empty means
	// ClientSecretBasic.
	AuthMethod ClientAuthMethod

	// Scopes are the scopes requested, which the app must have been granted.
	// Empty means ScopeRead and ScopeManage.
	Scopes []string

	// TokenURL overrides the token endpoint. Empty means
	// "{orgURL}/oauth2/v1/token".
	TokenURL string

	// DPoP turns on DPoP-bound access tokens (RFC 9449), as in
	// PrivateKeyConfig.
	DPoP bool

	// DPoPKey signs the DPoP proofs when DPoP is true. Nil means a new
	// ECDSA P-256 key, generated once by ClientSecret.
	DPoPKey crypto.Signer

	// HTTPClient sends the token requests. Nil means a client that sends
	// them through the base RoundTripper of each client and follows no
	// redirects, so that the secret only reaches the token endpoint.
	HTTPClient *http.Client

	// Clock returns the current time, for DPoP proofs and token expiry. Nil
	// means time.Now.
	Clock func() time.Time

	// Logger receives debug records of token requests and retries, which
	// never contain secrets. Nil logs nothing.
	Logger *slog.Logger

	// ExpiryDelta is how long before expiry a cached token is replaced.
	// Zero means DefaultExpiryDelta; it must not be negative.
	ExpiryDelta time.Duration
}

// sharedConfig contains the fields that PrivateKeyConfig and ClientSecretConfig
// share.
type sharedConfig struct {
	clientID    string
	scopes      []string
	tokenURL    string
	dpop        bool
	dpopKey     crypto.Signer
	httpClient  *http.Client
	clock       func() time.Time
	logger      *slog.Logger
	expiryDelta time.Duration
}

// tokenSettings are the shared settings, validated and with defaults applied.
type tokenSettings struct {
	kind        string // "PrivateKeyJWT" or "ClientSecret", for String
	clientID    string
	scopes      []string
	tokenURL    *url.URL // nil means derived from the org URL
	dpop        *dpopProver
	dpopOption  string
	httpClient  *http.Client
	now         func() time.Time
	logger      *slog.Logger
	expiryDelta time.Duration

	// describe contains the non-secret details that String shows.
	describe string
}

// newTokenSettings validates the shared fields of the config type named
// prefix, such as "PrivateKeyConfig", which errors name.
func newTokenSettings(prefix string, cfg sharedConfig) (*tokenSettings, error) {
	s := &tokenSettings{
		clientID:    cfg.clientID,
		httpClient:  cfg.httpClient,
		now:         cfg.clock,
		logger:      cfg.logger,
		expiryDelta: cfg.expiryDelta,
		dpopOption:  prefix + ".DPoP",
	}

	if strings.TrimSpace(cfg.clientID) == "" {
		return nil, fmt.Errorf("auth: %s.ClientID is empty; set the client ID of the Okta app", prefix)
	}

	s.scopes = slices.Clone(cfg.scopes)
	if len(s.scopes) == 0 {
		s.scopes = defaultScopes()
	}
	for _, scope := range s.scopes {
		if scope == "" || strings.ContainsFunc(scope, isSpaceOrControl) {
			return nil, fmt.Errorf("auth: invalid scope %q in %s.Scopes; a scope is one word without spaces", scope, prefix)
		}
	}

	if cfg.tokenURL != "" {
		u, err := url.Parse(cfg.tokenURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
			(u.Scheme == "http" && !origin.IsLoopback(u.Hostname())) {
			return nil, fmt.Errorf("auth: invalid %s.TokenURL; use an absolute https URL such as https://example.okta.com/oauth2/v1/token", prefix)
		}
		s.tokenURL = u
	}

	if cfg.expiryDelta < 0 {
		return nil, fmt.Errorf("auth: %s.ExpiryDelta is negative (%s); use zero for the default or a positive duration", prefix, cfg.expiryDelta)
	}
	if cfg.expiryDelta == 0 {
		s.expiryDelta = DefaultExpiryDelta
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}

	if !cfg.dpop {
		if cfg.dpopKey != nil {
			return nil, fmt.Errorf("auth: %s.DPoPKey is set but %s.DPoP is false; set DPoP to true or remove the key", prefix, prefix)
		}
		return s, nil
	}

	key := cfg.dpopKey
	if key == nil {
		generated, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("auth: generating the DPoP key failed: %w", err)
		}
		key = generated
	}
	prover, err := newDPoPProver(key, s.now)
	if err != nil {
		return nil, fmt.Errorf("auth: invalid %s.DPoPKey: %w", prefix, err)
	}
	s.dpop = prover
	return s, nil
}

// PrivateKeyJWT returns Credentials that obtain access tokens with the client
// credentials grant and private_key_jwt client authentication, the method
// that Okta requires for Okta API scopes at the org authorization server.
//
// Every token request carries a newly signed client assertion. Each client's
// RoundTripper caches its token and replaces it cfg.ExpiryDelta before it
// expires. The error names the invalid field.
func PrivateKeyJWT(cfg PrivateKeyConfig) (Credentials, error) {
	settings, err := newTokenSettings("PrivateKeyConfig", sharedConfig{
		clientID: cfg.ClientID, scopes: cfg.Scopes, tokenURL: cfg.TokenURL, dpop: cfg.DPoP, dpopKey: cfg.DPoPKey,
		httpClient: cfg.HTTPClient, clock: cfg.Clock, logger: cfg.Logger, expiryDelta: cfg.ExpiryDelta,
	})
	if err != nil {
		return nil, err
	}
	settings.kind = "PrivateKeyJWT"

	if isNilSigner(cfg.Key) {
		return nil, errors.New("auth: PrivateKeyConfig.Key is nil; load the app's private key with ParsePrivateKeyPEM or ParsePrivateKeyJWK")
	}
	alg, err := resolveAlgorithm(cfg.Key, cfg.Algorithm)
	if err != nil {
		return nil, fmt.Errorf("auth: invalid PrivateKeyConfig.Key or Algorithm: %w", err)
	}
	signer, err := newJOSESigner(cfg.Key, alg, cfg.KeyID, nil)
	if err != nil {
		return nil, err
	}

	settings.describe = fmt.Sprintf("client_id: %q, alg: %s, kid: %q", cfg.ClientID, alg, cfg.KeyID)
	auth := privateKeyAuth{assertions: &assertionSigner{signer: signer, clientID: cfg.ClientID, now: settings.now}}
	return &tokenCredentials{settings: settings, auth: auth}, nil
}

// ClientSecret returns Credentials that obtain access tokens with the client
// credentials grant and a client secret, sent with cfg.AuthMethod. Each
// client's RoundTripper caches its token and replaces it cfg.ExpiryDelta
// before it expires. The error names the invalid field.
func ClientSecret(cfg ClientSecretConfig) (Credentials, error) {
	settings, err := newTokenSettings("ClientSecretConfig", sharedConfig{
		clientID: cfg.ClientID, scopes: cfg.Scopes, tokenURL: cfg.TokenURL, dpop: cfg.DPoP, dpopKey: cfg.DPoPKey,
		httpClient: cfg.HTTPClient, clock: cfg.Clock, logger: cfg.Logger, expiryDelta: cfg.ExpiryDelta,
	})
	if err != nil {
		return nil, err
	}
	settings.kind = "ClientSecret"

	if cfg.ClientSecret == "" {
		return nil, errors.New("auth: ClientSecretConfig.ClientSecret is empty; set the app's client secret")
	}
	method := cfg.AuthMethod
	if method == "" {
		method = ClientSecretBasic
	}
	if method != ClientSecretBasic && method != ClientSecretPost {
		return nil, fmt.Errorf("auth: invalid ClientSecretConfig.AuthMethod %q; use ClientSecretBasic or ClientSecretPost", cfg.AuthMethod)
	}

	settings.describe = fmt.Sprintf("client_id: %q, method: %s", cfg.ClientID, method)
	auth := clientSecretAuth{clientID: cfg.ClientID, secret: cfg.ClientSecret, method: method}
	return &tokenCredentials{settings: settings, auth: auth}, nil
}

// tokenCredentials obtain tokens from a token endpoint: PrivateKeyJWT and
// ClientSecret.
type tokenCredentials struct {
	settings *tokenSettings
	auth     clientAuthenticator
}

func (c *tokenCredentials) RoundTripper(orgURL *url.URL, base http.RoundTripper) (http.RoundTripper, error) {
	if err := validateOrgURL(orgURL); err != nil {
		return nil, err
	}
	if base == nil {
		base = http.DefaultTransport
	}

	s := c.settings
	tokenURL := s.tokenURL
	if tokenURL == nil {
		tokenURL = orgURL.JoinPath("oauth2", "v1", "token")
		tokenURL.RawQuery = ""
		tokenURL.Fragment = ""
		if !strings.HasPrefix(tokenURL.Path, "/") {
			// JoinPath keeps an empty base path relative.
			tokenURL.Path = "/" + tokenURL.Path
			if tokenURL.RawPath != "" {
				tokenURL.RawPath = "/" + tokenURL.RawPath
			}
		}
	}
	client := s.httpClient
	if client == nil {
		client = &http.Client{
			Transport: base,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		}
	}

	endpoint := &tokenEndpoint{
		tokenURL:   tokenURL,
		clientID:   s.clientID,
		scopes:     s.scopes,
		auth:       c.auth,
		dpop:       s.dpop,
		dpopOption: s.dpopOption,
		client:     client,
		now:        s.now,
		logger:     s.logger,
	}
	cache := &tokenCache{source: endpoint, now: s.now, expiryDelta: s.expiryDelta}
	return &tokenTransport{
		base:        base,
		orgOrigin:   originKey(orgURL),
		tokens:      cache,
		dpop:        s.dpop,
		logger:      s.logger,
		dpopMissing: &DPoPRequiredError{Option: s.dpopOption},
	}, nil
}
