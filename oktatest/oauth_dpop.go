package oktatest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const (
	// dpopMaxProofAge is how old a DPoP proof may be. Okta rejects a proof
	// "issued more than five minutes in the past".
	dpopMaxProofAge = 5 * time.Minute

	// dpopNonceLifetime is how long a server nonce stays valid. Okta does not
	// document its nonce lifetime; this is the fake's choice. A new nonce
	// replaces the current one after half of it, and both stay valid meanwhile.
	dpopNonceLifetime = 10 * time.Minute
)

// dpopAlgorithms are the DPoP proof algorithms Okta advertises in
// dpop_signing_alg_values_supported and in the algs of its DPoP challenges.
var dpopAlgorithms = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.ES256, jose.ES384, jose.ES512,
}

// dpopPrivateMembers are the JWK members that only a private or symmetric key
// has (RFC 7518, section 6).
var dpopPrivateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// oauthNonces holds the DPoP server nonces of one endpoint kind. The zero
// value holds none; the caller holds authServer.mu.
type oauthNonces struct {
	current, previous             string
	currentExpiry, previousExpiry time.Time
}

// fresh returns the nonce to hand out at now, replacing the current nonce
// when half its lifetime has passed.
func (n *oauthNonces) fresh(now time.Time) string {
	if n.current == "" || !now.Before(n.currentExpiry.Add(-dpopNonceLifetime/2)) {
		n.previous, n.previousExpiry = n.current, n.currentExpiry
		n.current, n.currentExpiry = oauthRandom(24), now.Add(dpopNonceLifetime)
	}
	return n.current
}

// valid reports whether nonce is a nonce this server handed out that has not
// expired at now.
func (n *oauthNonces) valid(nonce string, now time.Time) bool {
	if nonce == "" {
		return false
	}
	return (nonce == n.current && now.Before(n.currentExpiry)) ||
		(nonce == n.previous && now.Before(n.previousExpiry))
}

// dpopFailure is the reason a DPoP proof was rejected. It has a description
// of an invalid proof, or the nonce to use when the proof lacks a valid
// server nonce.
type dpopFailure struct {
	description string
	nonce       string
}

// dpopClaims are the claims of a DPoP proof (RFC 9449, section 4.2).
type dpopClaims struct {
	ID       string           `json:"jti"`
	Method   string           `json:"htm"`
	URI      string           `json:"htu"`
	IssuedAt *jwt.NumericDate `json:"iat"`
	TokenSHA string           `json:"ath"`
	Nonce    string           `json:"nonce"`
}

// verifyDPoPProof checks a DPoP proof (RFC 9449, section 4.3) for a request
// with the given method and URI, and returns the base64url SHA-256
// thumbprint of its key. accessToken is the token the proof must be bound to
// through ath, or "" at the token endpoint. nonces, when not nil, requires a
// valid server nonce in the proof. An accepted proof's jti is remembered, and
// a proof with a jti seen before is rejected.
func (a *authServer) verifyDPoPProof(proof, method, uri, accessToken string, nonces *oauthNonces) (string, *dpopFailure) {
	invalid := func(description string) (string, *dpopFailure) {
		return "", &dpopFailure{description: description}
	}

	header, err := peekJOSEHeader(proof)
	if err != nil {
		return invalid("The DPoP proof is not a valid JWT.")
	}
	if header.Type != "dpop+jwt" {
		return invalid("The DPoP proof JWT 'typ' header must be \"dpop+jwt\".")
	}
	if !slices.Contains(dpopAlgorithms, jose.SignatureAlgorithm(header.Algorithm)) {
		return invalid("The DPoP proof JWT 'alg' header must be one of RS256, RS384, RS512, ES256, ES384, ES512.")
	}
	if header.JWK == nil {
		return invalid("The DPoP proof JWT 'jwk' header is missing.")
	}
	if dpopHasPrivateMembers(header.JWK) {
		return invalid("The DPoP proof JWT 'jwk' header must contain a public key, but it contains a private key.")
	}

	signed, err := jose.ParseSignedCompact(proof, dpopAlgorithms)
	if err != nil {
		return invalid("The DPoP proof is not a valid JWT.")
	}
	key := signed.Signatures[0].Header.JSONWebKey
	if key == nil || !key.IsPublic() || !oauthKeyFitsAlgorithm(key.Key, header.Algorithm) {
		return invalid("The DPoP proof JWT 'jwk' header is not a public key for the 'alg' header.")
	}
	payload, err := signed.Verify(key)
	if err != nil {
		return invalid("The DPoP proof JWT signature is invalid.")
	}

	var claims dpopClaims
	if err := json.Unmarshal(payload, &claims); err != nil {
		return invalid("The DPoP proof JWT claims are not valid JSON claims.")
	}
	if failure := checkDPoPClaims(claims, method, uri, accessToken, a.now()); failure != "" {
		return invalid(failure)
	}

	thumbprint, err := key.Thumbprint(crypto.SHA256)
	if err != nil {
		return invalid("The DPoP proof JWT 'jwk' header is not a valid key.")
	}
	jkt := base64.RawURLEncoding.EncodeToString(thumbprint)

	a.mu.Lock()
	defer a.mu.Unlock()

	now := a.now()
	if nonces != nil && !nonces.valid(claims.Nonce, now) {
		return "", &dpopFailure{nonce: nonces.fresh(now)}
	}

	oauthForget(a.seenProofs, now)
	seenKey := jkt + "\x00" + claims.ID
	if _, seen := a.seenProofs[seenKey]; seen {
		return invalid("The DPoP proof JWT has already been used.")
	}
	a.seenProofs[seenKey] = claims.IssuedAt.Time().Add(dpopMaxProofAge + oauthClockSkew)
	return jkt, nil
}

// checkDPoPClaims returns why claims are not valid for a request with the
// given method, URI and access token, or "" when they are.
func checkDPoPClaims(claims dpopClaims, method, uri, accessToken string, now time.Time) string {
	if claims.ID == "" {
		return "The DPoP proof JWT 'jti' claim is missing."
	}
	if claims.Method != method {
		return "'htm' claim in the DPoP proof JWT is invalid."
	}
	if !dpopSameURI(claims.URI, uri) {
		return "'htu' claim in the DPoP proof JWT is invalid."
	}

	if claims.IssuedAt == nil {
		return "The DPoP proof JWT 'iat' claim is missing."
	}
	issued := claims.IssuedAt.Time()
	if issued.Before(now.Add(-dpopMaxProofAge)) {
		return "The DPoP proof JWT is issued more than five minutes in the past."
	}
	if issued.After(now.Add(oauthClockSkew)) {
		return "The DPoP proof JWT is issued in the future."
	}

	if accessToken != "" {
		digest := sha256.Sum256([]byte(accessToken))
		if claims.TokenSHA != base64.RawURLEncoding.EncodeToString(digest[:]) {
			return "'ath' claim in the DPoP proof JWT is invalid."
		}
	}
	return ""
}

// dpopSameURI reports whether the htu claim names the request URI, ignoring
// query and fragment (RFC 9449, section 4.3). Scheme and host compare without
// case, a default port equals no port, and paths compare after
// percent-decoding.
//
// NOTE: Okta reportedly compares a percent-encoded htu path with the decoded
// request path and rejects it; the fake accepts both forms.
func dpopSameURI(htu, uri string) bool {
	claimed, err := url.Parse(htu)
	if err != nil || !claimed.IsAbs() || claimed.User != nil {
		return false
	}
	actual, err := url.Parse(uri)
	if err != nil {
		return false
	}

	return strings.EqualFold(claimed.Scheme, actual.Scheme) &&
		dpopHostPort(claimed) == dpopHostPort(actual) &&
		dpopPath(claimed) == dpopPath(actual)
}

// dpopHostPort returns the lower-case host of u with its port, the default
// port of the scheme made explicit.
func dpopHostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return strings.ToLower(u.Hostname()) + ":" + port
}

// dpopPath returns the decoded path of u, "/" for an empty path.
func dpopPath(u *url.URL) string {
	if u.Path == "" {
		return "/"
	}
	return u.Path
}

// dpopHasPrivateMembers reports whether a JWK carries private key material.
func dpopHasPrivateMembers(raw json.RawMessage) bool {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return false
	}
	for _, name := range dpopPrivateMembers {
		if _, ok := members[name]; ok {
			return true
		}
	}
	return false
}

// oauthKeyFitsAlgorithm reports whether key is a public key that algorithm
// uses: RSA for RS256, RS384, RS512, and EC on the matching curve for ES256
// (P-256), ES384 (P-384) and ES512 (P-521).
func oauthKeyFitsAlgorithm(key any, algorithm string) bool {
	switch k := key.(type) {
	case *rsa.PublicKey:
		return algorithm == string(jose.RS256) || algorithm == string(jose.RS384) || algorithm == string(jose.RS512)
	case *ecdsa.PublicKey:
		return algorithm == oauthCurveAlgorithm(k)
	default:
		return false
	}
}

// oauthCurveAlgorithm returns the ES algorithm of the curve of k, or "" for a
// curve that JWS does not use.
func oauthCurveAlgorithm(k *ecdsa.PublicKey) string {
	switch k.Curve.Params().Name {
	case "P-256":
		return string(jose.ES256)
	case "P-384":
		return string(jose.ES384)
	case "P-521":
		return string(jose.ES512)
	default:
		return ""
	}
}
