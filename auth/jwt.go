package auth

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// assertionLifetime is how long a client assertion stays valid. Okta accepts
// at most one hour; a short lifetime limits the use of an intercepted one.
const assertionLifetime = 5 * time.Minute

// clientAssertionType is the client_assertion_type of a private_key_jwt
// token request (RFC 7523, section 2.2).
const clientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// signCompact signs claims as a compact JWS.
func signCompact(signer jose.Signer, claims any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// assertionSigner signs private_key_jwt client assertions.
type assertionSigner struct {
	signer   jose.Signer
	clientID string
	now      func() time.Time
}

// assertionClaims are the claims of a client assertion (RFC 7523, section 3).
type assertionClaims struct {
	Issuer   string `json:"iss"`
	Subject  string `json:"sub"`
	Audience string `json:"aud"`
	IssuedAt int64  `json:"iat"`
	Expiry   int64  `json:"exp"`
	ID       string `json:"jti"`
}

// sign returns a new assertion for the token endpoint at tokenURL, with a
// unique jti.
func (s *assertionSigner) sign(tokenURL string) (string, error) {
	now := s.now()
	assertion, err := signCompact(s.signer, assertionClaims{
		Issuer:   s.clientID,
		Subject:  s.clientID,
		Audience: tokenURL,
		IssuedAt: now.Unix(),
		Expiry:   now.Add(assertionLifetime).Unix(),
		ID:       rand.Text(),
	})
	if err != nil {
		return "", fmt.Errorf("auth: signing the client assertion failed: %w", err)
	}
	return assertion, nil
}

// dpopProver signs DPoP proofs (RFC 9449, section 4) with one key pair and
// stores the latest server nonce for each server.
type dpopProver struct {
	signer jose.Signer
	now    func() time.Time
	nonces nonceStore
}

// newDPoPProver builds a prover for key, which must be an RSA or ECDSA key.
func newDPoPProver(key crypto.Signer, now func() time.Time) (*dpopProver, error) {
	alg, err := defaultAlgorithm(key)
	if err != nil {
		return nil, err
	}

	// The proof carries its public key as the "jwk" header and no "kid".
	opts := (&jose.SignerOptions{EmbedJWK: true}).WithType("dpop+jwt")
	signer, err := newJOSESigner(key, alg, "", opts)
	if err != nil {
		return nil, err
	}
	return &dpopProver{signer: signer, now: now, nonces: nonceStore{m: map[string]string{}}}, nil
}

// dpopClaims are the claims of a DPoP proof.
type dpopClaims struct {
	ID       string `json:"jti"`
	Method   string `json:"htm"`
	URL      string `json:"htu"`
	IssuedAt int64  `json:"iat"`
	Nonce    string `json:"nonce,omitempty"`
	TokenSHA string `json:"ath,omitempty"`
}

// proof returns a new proof, with a unique jti, for a request with method to
// target. The nonce and accessToken are left out of the proof when empty; a
// proof sent with an access token must carry its hash as "ath".
func (p *dpopProver) proof(method string, target *url.URL, nonce, accessToken string) (string, error) {
	claims := dpopClaims{
		ID:       rand.Text(),
		Method:   method,
		URL:      proofURL(target),
		IssuedAt: p.now().Unix(),
		Nonce:    nonce,
	}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		claims.TokenSHA = base64.RawURLEncoding.EncodeToString(sum[:])
	}

	proof, err := signCompact(p.signer, claims)
	if err != nil {
		return "", fmt.Errorf("auth: signing the DPoP proof failed: %w", err)
	}
	return proof, nil
}

// proofURL returns the htu claim for target: the URL without query and
// fragment, with the scheme and host in lower case and the path starting
// with "/".
func proofURL(target *url.URL) string {
	path := target.EscapedPath()
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return strings.ToLower(target.Scheme) + "://" + strings.ToLower(target.Host) + path
}
