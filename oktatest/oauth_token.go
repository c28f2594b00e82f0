package oktatest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const (
	oauthAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

	// oauthMaxTokenRequestBytes bounds the body of a token request.
	oauthMaxTokenRequestBytes = 64 << 10

	// oauthClientAuthFailed is Okta's description of an unknown client or
	// missing client credentials.
	oauthClientAuthFailed = "Client authentication failed. Either the client or the client credentials are invalid."
)

// oauthAssertionAlgorithms are the algorithms Okta accepts for private_key_jwt
// client assertions.
var oauthAssertionAlgorithms = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.ES256, jose.ES384, jose.ES512,
}

// oauthTokenError is an OAuth 2.0 error response of the token endpoint
// (RFC 6749, section 5.2).
type oauthTokenError struct {
	status          int
	code            string // the "error" member
	description     string // the "error_description" member
	wwwAuthenticate string
	dpopNonce       string
}

// oauthTokenResponse is the successful token response (RFC 6749, section 5.1).
type oauthTokenResponse struct {
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	AccessToken string `json:"access_token"`
	Scope       string `json:"scope"`
}

// handleTokenRequest runs the steps of a token request: form, grant type,
// client authentication, scopes, DPoP proof, and issues the token. It fills
// in entry as it learns about the request.
//
// The client is authenticated before the DPoP proof is checked, so a
// request rejected with use_dpop_nonce has used up its client assertion: the
// retry needs a new assertion with a new jti.
func (a *authServer) handleTokenRequest(w http.ResponseWriter, r *http.Request, entry *TokenRequest) (*oauthTokenResponse, *oauthTokenError) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return nil, &oauthTokenError{status: http.StatusMethodNotAllowed, code: "invalid_request", description: "The token endpoint accepts only POST requests."}
	}

	form, failure := parseTokenForm(w, r)
	if failure != nil {
		return nil, failure
	}
	entry.GrantType = form.Get("grant_type")
	entry.Scopes = strings.Fields(form.Get("scope"))
	entry.ClientID = form.Get("client_id")

	switch entry.GrantType {
	case "client_credentials":
	case "":
		return nil, &oauthTokenError{status: http.StatusBadRequest, code: "invalid_request", description: "The request is missing the 'grant_type' parameter."}
	default:
		return nil, &oauthTokenError{status: http.StatusBadRequest, code: "unsupported_grant_type", description: fmt.Sprintf("The grant type %q is not supported; the org authorization server supports client_credentials.", entry.GrantType)}
	}

	tokenURL := requestOrigin(r) + oauthTokenPath
	client, failure := a.authenticateClient(r, form, tokenURL, entry)
	if failure != nil {
		return nil, failure
	}

	if failure := checkRequestedScopes(client, entry.Scopes); failure != nil {
		return nil, failure
	}

	jkt, failure := a.checkTokenDPoP(r, client, tokenURL)
	if failure != nil {
		return nil, failure
	}

	return a.issueToken(client, entry.Scopes, jkt), nil
}

// parseTokenForm reads the form body of a token request. Parameters in the
// URL query are ignored, as credentials must not travel there, and a
// parameter sent twice is an error (RFC 6749, section 3.2).
func parseTokenForm(w http.ResponseWriter, r *http.Request) (url.Values, *oauthTokenError) {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/x-www-form-urlencoded" {
		return nil, &oauthTokenError{status: http.StatusBadRequest, code: "invalid_request", description: "The token request body must be application/x-www-form-urlencoded."}
	}

	r.Body = http.MaxBytesReader(w, r.Body, oauthMaxTokenRequestBytes)
	if err := r.ParseForm(); err != nil {
		return nil, &oauthTokenError{status: http.StatusBadRequest, code: "invalid_request", description: "The token request body is not a valid form."}
	}

	for name, values := range r.PostForm {
		if len(values) > 1 {
			return nil, &oauthTokenError{status: http.StatusBadRequest, code: "invalid_request", description: fmt.Sprintf("The request has more than one %q parameter.", name)}
		}
	}
	return r.PostForm, nil
}

// authenticateClient authenticates the client with the one method the
// request uses.
func (a *authServer) authenticateClient(r *http.Request, form url.Values, tokenURL string, entry *TokenRequest) (*oauthClientRecord, *oauthTokenError) {
	authorization := r.Header.Get("Authorization")
	scheme, _, _ := strings.Cut(authorization, " ")
	usesBasic := strings.EqualFold(scheme, "Basic")
	usesPost := form.Has("client_secret")
	usesAssertion := form.Has("client_assertion") || form.Has("client_assertion_type")

	methods := 0
	for _, used := range []bool{usesBasic, usesPost, usesAssertion} {
		if used {
			methods++
		}
	}
	if methods > 1 {
		return nil, &oauthTokenError{status: http.StatusBadRequest, code: "invalid_request", description: "The request uses more than one client authentication method; use exactly one."}
	}

	switch {
	case usesAssertion:
		entry.AuthMethod = "private_key_jwt"
		return a.authenticateAssertion(form, tokenURL, entry)
	case usesBasic:
		entry.AuthMethod = "client_secret_basic"
		return a.authenticateBasic(r, form, entry)
	case usesPost:
		entry.AuthMethod = "client_secret_post"
		return a.authenticateSecret(form.Get("client_id"), form.Get("client_secret"), "")
	default:
		return nil, &oauthTokenError{status: http.StatusUnauthorized, code: "invalid_client", description: oauthClientAuthFailed}
	}
}

// authenticateBasic checks client_secret_basic credentials. Failures carry a
// Basic challenge, as RFC 6749 (section 5.2) requires for a client that
// authenticated with the Authorization header.
func (a *authServer) authenticateBasic(r *http.Request, form url.Values, entry *TokenRequest) (*oauthClientRecord, *oauthTokenError) {
	challenge := "Basic realm=" + quoteAuthParam(requestOrigin(r))
	invalid := &oauthTokenError{status: http.StatusUnauthorized, code: "invalid_client", description: oauthClientAuthFailed, wwwAuthenticate: challenge}

	encodedID, encodedSecret, ok := r.BasicAuth()
	if !ok {
		return nil, invalid
	}

	// RFC 6749 (section 2.3.1) form-encodes the client ID and secret before
	// the Basic encoding.
	clientID, err := url.QueryUnescape(encodedID)
	if err != nil {
		return nil, invalid
	}
	secret, err := url.QueryUnescape(encodedSecret)
	if err != nil {
		return nil, invalid
	}
	entry.ClientID = clientID

	if form.Has("client_id") && form.Get("client_id") != clientID {
		invalid.description = "The client_id parameter does not match the client ID of the Authorization header."
		return nil, invalid
	}
	return a.authenticateSecret(clientID, secret, challenge)
}

// authenticateSecret checks a client secret in constant time. challenge is
// the WWW-Authenticate value of a failure, if any.
func (a *authServer) authenticateSecret(clientID, secret, challenge string) (*oauthClientRecord, *oauthTokenError) {
	client := a.client(clientID)
	if client == nil {
		return nil, &oauthTokenError{status: http.StatusUnauthorized, code: "invalid_client", description: oauthClientAuthFailed, wwwAuthenticate: challenge}
	}

	if client.secret == "" {
		return nil, &oauthTokenError{status: http.StatusUnauthorized, code: "invalid_client", description: "Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.", wwwAuthenticate: challenge}
	}

	// Comparing digests keeps the time independent of the secret's length.
	got := sha256.Sum256([]byte(secret))
	want := sha256.Sum256([]byte(client.secret))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return nil, &oauthTokenError{status: http.StatusUnauthorized, code: "invalid_client", description: "The client secret supplied for a confidential client is invalid.", wwwAuthenticate: challenge}
	}
	return client, nil
}

// authenticateAssertion checks a private_key_jwt client assertion
// (RFC 7523, section 3): signature by a registered key of the client,
// iss == sub == client_id, aud == the token URL, exp within one hour,
// iat not in the future, and a jti never seen before.
//
// NOTE: Okta treats jti as optional; the fake requires it, because an
// assertion without jti could be replayed until it expires.
func (a *authServer) authenticateAssertion(form url.Values, tokenURL string, entry *TokenRequest) (*oauthClientRecord, *oauthTokenError) {
	invalid := func(description string) *oauthTokenError {
		return &oauthTokenError{status: http.StatusUnauthorized, code: "invalid_client", description: description}
	}

	if form.Get("client_assertion_type") != oauthAssertionType {
		return nil, invalid("The client_assertion_type is invalid.")
	}
	assertion := form.Get("client_assertion")
	if assertion == "" {
		return nil, invalid("The client_assertion is missing.")
	}

	header, err := peekJOSEHeader(assertion)
	if err != nil {
		return nil, invalid("The client_assertion is not a valid JWT.")
	}
	if !slices.Contains(oauthAssertionAlgorithms, jose.SignatureAlgorithm(header.Algorithm)) {
		return nil, invalid(fmt.Sprintf("The client_assertion JWT alg %q is not supported; use RS256, RS384, RS512, ES256, ES384 or ES512.", header.Algorithm))
	}
	signed, err := jose.ParseSignedCompact(assertion, oauthAssertionAlgorithms)
	if err != nil {
		return nil, invalid("The client_assertion is not a valid JWT.")
	}

	// The claims are read before the signature is verified only to find the
	// client whose keys verify it; nothing else trusts them until then.
	var claims jwt.Claims
	if err := json.Unmarshal(signed.UnsafePayloadWithoutVerification(), &claims); err != nil {
		return nil, invalid("The client_assertion claims are not valid JSON claims.")
	}
	if claims.Subject == "" {
		return nil, invalid("The client_assertion 'sub' claim is missing; set it to the client ID.")
	}
	entry.ClientID = claims.Subject
	if form.Has("client_id") && form.Get("client_id") != claims.Subject {
		return nil, invalid("The client_id parameter does not match the 'sub' claim of the client_assertion.")
	}

	client := a.client(claims.Subject)
	if client == nil {
		return nil, invalid(oauthClientAuthFailed)
	}
	if len(client.keys) == 0 {
		return nil, invalid("The client is not configured for private_key_jwt client authentication.")
	}

	keys := client.keysFor(header.KeyID)
	if keys == nil {
		// NOTE: Okta rejects an assertion without kid when the client has
		// more than one public key, with the same error as an unknown kid.
		return nil, invalid("The client_assertion JWT kid is invalid.")
	}
	if !verifiedByAny(signed, keys) {
		return nil, invalid("The client_assertion signature is invalid.")
	}

	if failure := checkAssertionClaims(claims, client.id, tokenURL, a.now()); failure != "" {
		return nil, invalid(failure)
	}
	if !a.rememberAssertion(client.id, claims.ID, claims.Expiry.Time()) {
		return nil, invalid("The client_assertion token has already been used; sign a new one with a new jti for every request.")
	}
	return client, nil
}

// checkAssertionClaims returns why claims are not valid for a client
// assertion of clientID, or "" when they are.
func checkAssertionClaims(claims jwt.Claims, clientID, tokenURL string, now time.Time) string {
	if claims.Issuer != clientID {
		return "The client_assertion 'iss' claim must be the client ID."
	}
	if !claims.Audience.Contains(tokenURL) {
		return "The audience claim for client_assertion must be the endpoint invoked for the request."
	}

	if claims.Expiry == nil {
		return "The client_assertion 'exp' claim is missing."
	}
	expiry := claims.Expiry.Time()
	if !now.Before(expiry) {
		return "The client_assertion token is expired."
	}
	if expiry.After(now.Add(oauthMaxAssertionLifetime + oauthClockSkew)) {
		return "The client_assertion token has an expiration too far into the future."
	}

	if claims.IssuedAt != nil {
		issued := claims.IssuedAt.Time()
		if issued.After(now.Add(oauthClockSkew)) {
			return "The client_assertion token must be issued before the current time."
		}
		if expiry.Sub(issued) > oauthMaxAssertionLifetime {
			return "The client_assertion token has an expiration more than one hour after its issue time."
		}
	}
	if claims.NotBefore != nil && claims.NotBefore.Time().After(now.Add(oauthClockSkew)) {
		return "The client_assertion token is not valid yet."
	}

	if claims.ID == "" {
		return "The client_assertion 'jti' claim is missing; set a unique value for every assertion."
	}
	return ""
}

// rememberAssertion records the jti of an accepted assertion until it
// expires, and reports false when the jti was already recorded.
func (a *authServer) rememberAssertion(clientID, jti string, expiry time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()

	now := a.now()
	oauthForget(a.seenAssertions, now)

	key := clientID + "\x00" + jti
	if _, seen := a.seenAssertions[key]; seen {
		return false
	}
	a.seenAssertions[key] = expiry
	return true
}

// checkRequestedScopes checks that scopes is not empty and that the client
// was granted every scope in it.
func checkRequestedScopes(client *oauthClientRecord, scopes []string) *oauthTokenError {
	invalid := func(description string) *oauthTokenError {
		return &oauthTokenError{status: http.StatusBadRequest, code: "invalid_scope", description: description}
	}

	if len(scopes) == 0 {
		return invalid("The authorization server resource does not have any configured default scopes, 'scope' must be provided.")
	}
	for _, scope := range scopes {
		if !oauthKnownScopes[scope] {
			return invalid("One or more scopes are not configured for the authorization server resource.")
		}
		if !slices.Contains(client.scopes, scope) {
			return invalid(fmt.Sprintf("The scope %q is not granted to the client.", scope))
		}
	}
	return nil
}

// checkTokenDPoP checks the DPoP proof of a token request and returns the
// thumbprint of its key, or "" for a request without proof that may have a
// Bearer token.
func (a *authServer) checkTokenDPoP(r *http.Request, client *oauthClientRecord, tokenURL string) (string, *oauthTokenError) {
	proofs := r.Header.Values("DPoP")
	switch {
	case len(proofs) == 0 && client.requireDPoP:
		return "", &oauthTokenError{status: http.StatusBadRequest, code: "invalid_dpop_proof", description: "The DPoP proof JWT header is missing."}
	case len(proofs) == 0:
		return "", nil
	case len(proofs) > 1:
		return "", &oauthTokenError{status: http.StatusBadRequest, code: "invalid_dpop_proof", description: "The request has more than one DPoP header."}
	}

	jkt, failure := a.verifyDPoPProof(proofs[0], http.MethodPost, tokenURL, "", &a.tokenNonces)
	if failure == nil {
		return jkt, nil
	}
	if failure.nonce != "" {
		return "", &oauthTokenError{status: http.StatusBadRequest, code: "use_dpop_nonce", description: "Authorization server requires nonce in DPoP proof.", dpopNonce: failure.nonce}
	}
	return "", &oauthTokenError{status: http.StatusBadRequest, code: "invalid_dpop_proof", description: failure.description}
}

// issueToken creates and stores an access token for client, bound to the
// DPoP key with thumbprint jkt unless jkt is empty.
func (a *authServer) issueToken(client *oauthClientRecord, scopes []string, jkt string) *oauthTokenResponse {
	token := oauthRandom(32)
	granted := make([]string, 0, len(scopes))
	for _, scope := range scopes {
		if !slices.Contains(granted, scope) {
			granted = append(granted, scope)
		}
	}

	a.mu.Lock()
	defer a.mu.Unlock()

	now := a.now()
	for value, issued := range a.tokens {
		// Expired tokens are kept for a while so that their use is reported
		// as expired rather than invalid.
		if now.Sub(issued.expires) > DefaultTokenLifetime {
			delete(a.tokens, value)
		}
	}

	lifetime := a.tokenLifetime
	a.tokens[token] = &oauthAccessToken{clientID: client.id, scopes: granted, expires: now.Add(lifetime), jkt: jkt}
	a.issuedTokens++

	tokenType := "Bearer"
	if jkt != "" {
		tokenType = "DPoP"
	}
	return &oauthTokenResponse{
		TokenType:   tokenType,
		ExpiresIn:   int64((lifetime + time.Second - 1) / time.Second),
		AccessToken: token,
		Scope:       strings.Join(granted, " "),
	}
}

// client returns the registered client with the given ID, or nil.
func (a *authServer) client(id string) *oauthClientRecord {
	a.mu.Lock()
	defer a.mu.Unlock()

	return a.clients[id]
}

// keysFor returns the client's keys that may verify a JWT with the given
// kid header, or nil when none may.
func (c *oauthClientRecord) keysFor(kid string) []jose.JSONWebKey {
	if kid == "" {
		if len(c.keys) == 1 {
			return c.keys
		}
		return nil
	}

	for _, key := range c.keys {
		if key.KeyID == kid {
			return []jose.JSONWebKey{key}
		}
	}
	return nil
}

// verifiedByAny reports whether one of keys verifies the signature of signed
// with an algorithm that fits the key.
func verifiedByAny(signed *jose.JSONWebSignature, keys []jose.JSONWebKey) bool {
	algorithm := signed.Signatures[0].Header.Algorithm
	for _, key := range keys {
		if key.Algorithm != "" && key.Algorithm != algorithm {
			continue
		}
		if !oauthKeyFitsAlgorithm(key.Key, algorithm) {
			continue
		}
		if _, err := signed.Verify(key.Key); err == nil {
			return true
		}
	}
	return false
}

// joseHeader is the part of a JOSE header that the fake checks before go-jose
// parses the JWS, to name the problem in its error.
type joseHeader struct {
	Algorithm string          `json:"alg"`
	Type      string          `json:"typ"`
	KeyID     string          `json:"kid"`
	JWK       json.RawMessage `json:"jwk"`
}

// peekJOSEHeader decodes the header of a compact JWS without checking it.
func peekJOSEHeader(compact string) (joseHeader, error) {
	encoded, _, ok := strings.Cut(compact, ".")
	if !ok {
		return joseHeader{}, errors.New("not a compact JWS")
	}

	raw, err := base64.RawURLEncoding.DecodeString(encoded)
	if err != nil {
		return joseHeader{}, err
	}

	var header joseHeader
	if err := json.Unmarshal(raw, &header); err != nil {
		return joseHeader{}, err
	}
	return header, nil
}

// writeTokenError writes an OAuth 2.0 error response.
func writeTokenError(w http.ResponseWriter, failure *oauthTokenError) {
	if failure.wwwAuthenticate != "" {
		w.Header().Set("WWW-Authenticate", failure.wwwAuthenticate)
	}
	if failure.dpopNonce != "" {
		w.Header().Set("DPoP-Nonce", failure.dpopNonce)
	}

	writeTokenJSON(w, failure.status, struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}{failure.code, failure.description})
}

// writeTokenJSON writes a token endpoint response, which must not be cached
// (RFC 6749, section 5.1).
func writeTokenJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(status)

	// A write error means the client went away; there is no one to tell.
	_ = json.NewEncoder(w).Encode(body)
}
