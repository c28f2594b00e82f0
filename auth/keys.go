package auth

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/cryptosigner"
)

// minRSABits is the smallest RSA modulus accepted for signing. Shorter keys
// no longer give adequate security.
const minRSABits = 2048

// ParsePrivateKeyPEM parses the first private key in PEM-encoded data.
//
// It accepts PKCS#1 ("RSA PRIVATE KEY"), PKCS#8 ("PRIVATE KEY") and SEC1
// ("EC PRIVATE KEY") blocks holding an RSA key of at least 2048 bits or an
// ECDSA key on P-256, P-384 or P-521. Other blocks before the key, such as
// "EC PARAMETERS" or "CERTIFICATE", are skipped. Encrypted keys are rejected:
// decrypt them first. Errors never contain key material.
func ParsePrivateKeyPEM(data []byte) (crypto.Signer, error) {
	var skipped []string
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}

		if !strings.HasSuffix(block.Type, "PRIVATE KEY") {
			skipped = append(skipped, block.Type)
			continue
		}

		key, err := parsePrivateKeyBlock(block)
		if err != nil {
			return nil, err
		}
		if _, err := defaultAlgorithm(key); err != nil {
			return nil, fmt.Errorf("auth: unusable private key: %w", err)
		}
		return key, nil
	}

	if len(skipped) > 0 {
		return nil, fmt.Errorf("auth: no private key in PEM data (found %s); pass a PKCS#1, PKCS#8 or SEC1 private key", strings.Join(skipped, ", "))
	}
	return nil, errors.New("auth: no PEM block in private key data; pass a PEM-encoded PKCS#1, PKCS#8 or SEC1 private key")
}

// parsePrivateKeyBlock decodes one PEM block whose type ends in "PRIVATE KEY".
func parsePrivateKeyBlock(block *pem.Block) (crypto.Signer, error) {
	// Legacy OpenSSL encryption marks the block with a Proc-Type header.
	if block.Type == "ENCRYPTED PRIVATE KEY" || block.Headers["Proc-Type"] != "" {
		return nil, errors.New("auth: the PEM private key is encrypted; decrypt it first (for example with openssl pkey)")
	}

	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("auth: invalid PKCS#1 RSA private key: %w", err)
		}
		return key, nil

	case "EC PRIVATE KEY":
		key, err := x509.ParseECPrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("auth: invalid SEC1 EC private key: %w", err)
		}
		return key, nil

	case "PRIVATE KEY":
		parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("auth: invalid PKCS#8 private key: %w", err)
		}
		switch key := parsed.(type) {
		case *rsa.PrivateKey:
			return key, nil
		case *ecdsa.PrivateKey:
			return key, nil
		default:
			return nil, fmt.Errorf("auth: unsupported PKCS#8 key type %T; use an RSA or ECDSA key", parsed)
		}

	default:
		return nil, fmt.Errorf("auth: unsupported PEM block type %q; use RSA PRIVATE KEY, PRIVATE KEY or EC PRIVATE KEY", block.Type)
	}
}

// ParsePrivateKeyJWK parses a private JSON Web Key (RFC 7517) and returns the
// key and its "kid" member, which is empty when the JWK has none.
//
// The data is either one JWK object or a JWK set ({"keys": [...]}) that contains
// exactly one key. The key must be a private RSA key of at least 2048 bits or
// a private EC key on P-256, P-384 or P-521. This is the format that the Okta
// Admin Console offers when it generates a key pair for an API service app.
// Errors never contain key material.
func ParsePrivateKeyJWK(data []byte) (crypto.Signer, string, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, "", errors.New("auth: invalid JWK: the data is not a JSON object")
	}

	raw := data
	if set.Keys != nil {
		if len(set.Keys) != 1 {
			return nil, "", fmt.Errorf("auth: the JWK set contains %d keys; pass a set with exactly one key or a single JWK", len(set.Keys))
		}
		raw = set.Keys[0]
	}

	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON(bytes.TrimSpace(raw)); err != nil {
		return nil, "", fmt.Errorf("auth: invalid JWK: %w", err)
	}
	if jwk.Key == nil {
		return nil, "", errors.New("auth: unsupported JWK key type; use an RSA or EC private key")
	}
	if jwk.IsPublic() {
		return nil, "", errors.New("auth: the JWK is a public key; pass the private JWK (with the \"d\" member)")
	}

	var key crypto.Signer
	switch k := jwk.Key.(type) {
	case *rsa.PrivateKey:
		k.Precompute()
		key = k
	case *ecdsa.PrivateKey:
		if err := checkECPublicKey(k); err != nil {
			return nil, "", err
		}
		key = k
	default:
		return nil, "", fmt.Errorf("auth: unsupported JWK key type %T; use an RSA or EC private key", jwk.Key)
	}

	if _, err := defaultAlgorithm(key); err != nil {
		return nil, "", fmt.Errorf("auth: unusable JWK: %w", err)
	}
	return key, jwk.KeyID, nil
}

// checkECPublicKey reports an error unless the public point of key is the one
// that its private scalar derives. A JWK with mismatched "x", "y" and "d"
// would otherwise sign with a key that the server cannot verify.
func checkECPublicKey(key *ecdsa.PrivateKey) error {
	private, err := key.ECDH()
	if err != nil {
		return fmt.Errorf("auth: invalid EC private key: %w", err)
	}
	public, err := key.PublicKey.ECDH()
	if err != nil {
		return fmt.Errorf("auth: invalid EC public key: %w", err)
	}
	if !private.PublicKey().Equal(public) {
		return errors.New("auth: invalid EC JWK: the \"x\" and \"y\" members do not match the private key \"d\"")
	}
	return nil
}

// Signature algorithms accepted for client assertions and DPoP proofs.
const (
	algRS256 = string(jose.RS256)
	algRS384 = string(jose.RS384)
	algRS512 = string(jose.RS512)
	algES256 = string(jose.ES256)
	algES384 = string(jose.ES384)
	algES512 = string(jose.ES512)
)

// isNilSigner reports whether key is nil or a nil pointer in an interface,
// so that calling Public on it would panic.
func isNilSigner(key crypto.Signer) bool {
	if key == nil {
		return true
	}
	v := reflect.ValueOf(key)
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func:
		return v.IsNil()
	}
	return false
}

// defaultAlgorithm returns the signature algorithm for key when none is
// configured: RS256 for RSA, and ES256, ES384 or ES512 for the ECDSA curves
// P-256, P-384 and P-521. Other key types and short RSA keys are errors,
// whose messages callers prefix.
func defaultAlgorithm(key crypto.Signer) (string, error) {
	if isNilSigner(key) {
		return "", errors.New("the private key is nil")
	}

	switch pub := key.Public().(type) {
	case *rsa.PublicKey:
		if pub == nil || pub.N == nil {
			return "", errors.New("the RSA public key is missing")
		}
		if bits := pub.N.BitLen(); bits < minRSABits {
			return "", fmt.Errorf("the RSA key has %d bits; use a key of at least %d bits", bits, minRSABits)
		}
		return algRS256, nil

	case *ecdsa.PublicKey:
		if pub == nil || pub.Curve == nil {
			return "", errors.New("the ECDSA public key is missing")
		}
		switch pub.Curve {
		case elliptic.P256():
			return algES256, nil
		case elliptic.P384():
			return algES384, nil
		case elliptic.P521():
			return algES512, nil
		default:
			return "", fmt.Errorf("unsupported ECDSA curve %s; use P-256, P-384 or P-521", pub.Curve.Params().Name)
		}

	default:
		return "", fmt.Errorf("unsupported key type %T; use an RSA or ECDSA key", key.Public())
	}
}

// resolveAlgorithm checks that the configured algorithm fits key and returns
// it, or the key's default when configured is empty.
func resolveAlgorithm(key crypto.Signer, configured string) (string, error) {
	def, err := defaultAlgorithm(key)
	if err != nil {
		return "", err
	}
	if configured == "" {
		return def, nil
	}

	switch def {
	case algRS256:
		if configured == algRS256 || configured == algRS384 || configured == algRS512 {
			return configured, nil
		}
		return "", fmt.Errorf("algorithm %q does not fit an RSA key; use RS256, RS384 or RS512", configured)
	default:
		// An ECDSA curve fixes its algorithm.
		if configured == def {
			return configured, nil
		}
		return "", fmt.Errorf("algorithm %q does not fit the ECDSA key; use %s or leave Algorithm empty", configured, def)
	}
}

// newJOSESigner builds a JWS signer for key. RSA and ECDSA keys of the
// standard library sign directly. Any other crypto.Signer, such as a key in a
// hardware module, signs through go-jose's cryptosigner adapter. A non-empty
// keyID becomes the "kid" header unless opts embeds the public JWK.
func newJOSESigner(key crypto.Signer, alg, keyID string, opts *jose.SignerOptions) (jose.Signer, error) {
	var signingKey any
	switch k := key.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey:
		signingKey = k
	default:
		signingKey = cryptosigner.Opaque(key)
	}

	signer, err := jose.NewSigner(jose.SigningKey{
		Algorithm: jose.SignatureAlgorithm(alg),
		Key:       jose.JSONWebKey{Key: signingKey, KeyID: keyID},
	}, opts)
	if err != nil {
		return nil, fmt.Errorf("auth: cannot sign with %s and a %T key: %w", alg, key, err)
	}
	return signer, nil
}
