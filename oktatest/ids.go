package oktatest

import (
	crand "crypto/rand"
	"encoding/base64"
	"math/rand/v2"
	"strings"
)

// idAlphabet is the character set of Okta object IDs.
const idAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// ID prefixes of the objects the fake creates. Okta IDs are 20 characters:
// a short prefix followed by random characters.
const (
	poolIDPrefix   = "0oa"
	updateIDPrefix = "0oa"
	agentIDPrefix  = "a53"
	idLength       = 20
)

// newID returns an Okta-style ID of idLength characters that starts with
// prefix, drawing the rest from rng. The caller serializes access to rng.
func newID(rng *rand.Rand, prefix string) string {
	var b strings.Builder
	b.Grow(idLength)
	b.WriteString(prefix)
	for b.Len() < idLength {
		b.WriteByte(idAlphabet[rng.IntN(len(idAlphabet))])
	}
	return b.String()
}

// newRandomRand returns a generator seeded from crypto/rand, so IDs differ
// between servers and runs.
func newRandomRand() *rand.Rand {
	var seed [32]byte
	_, _ = crand.Read(seed[:]) // crypto/rand.Read never returns an error.
	return rand.New(rand.NewChaCha8(seed))
}

// randomToken returns n random bytes encoded as unpadded base64url.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = crand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// newAPITokenValue returns a random value shaped like an Okta API token:
// 42 characters that start with "00".
func newAPITokenValue() string {
	return "00" + randomToken(30)
}

// newRequestID returns a random value shaped like Okta's X-Okta-Request-Id.
func newRequestID() string {
	return randomToken(20)
}

// newErrorID returns a random value shaped like the errorId of an Okta
// error object.
func newErrorID() string {
	return "oae" + strings.NewReplacer("-", "A", "_", "B").Replace(randomToken(17))[:22]
}
