package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
)

// Credentials authorizes the requests that a client sends to one Okta org.
//
// The values returned by this package are safe for concurrent use, and
// printing them with fmt or slog never shows a secret.
type Credentials interface {
	// RoundTripper returns an http.RoundTripper that authorizes every request
	// to the org at orgURL and sends it through base. It is called once per
	// client. A nil base means http.DefaultTransport.
	//
	// The returned RoundTripper does not modify the caller's request, rejects
	// requests whose scheme and host differ from orgURL's, and closes the
	// request body when it does not send the request.
	RoundTripper(orgURL *url.URL, base http.RoundTripper) (http.RoundTripper, error)
}

// APIToken returns Credentials that send an Okta API token as
// "Authorization: SSWS <token>". An empty token, or one with white space or
// control characters, makes RoundTripper fail.
func APIToken(token string) Credentials {
	return &staticCredentials{kind: "APIToken", scheme: "SSWS", value: token}
}

// BearerToken returns Credentials that send an access token obtained
// elsewhere as "Authorization: Bearer <token>". The token is never refreshed:
// when it expires, requests fail with 401. Use TokenSource to refresh, and
// PrivateKeyJWT or ClientSecret for DPoP-bound tokens. An empty token, or one
// with white space or control characters, makes RoundTripper fail.
func BearerToken(token string) Credentials {
	return &staticCredentials{kind: "BearerToken", scheme: "Bearer", value: token}
}

// staticCredentials sends a fixed Authorization header.
type staticCredentials struct {
	kind   string // the constructor's name, for String
	scheme string
	value  string
}

func (c *staticCredentials) RoundTripper(orgURL *url.URL, base http.RoundTripper) (http.RoundTripper, error) {
	if err := validateOrgURL(orgURL); err != nil {
		return nil, err
	}
	if c.value == "" {
		return nil, fmt.Errorf("auth: the token passed to %s is empty", c.kind)
	}
	if strings.ContainsFunc(c.value, isSpaceOrControl) {
		return nil, fmt.Errorf("auth: the token passed to %s contains white space or control characters; remove them", c.kind)
	}
	if base == nil {
		base = http.DefaultTransport
	}

	return &headerTransport{base: base, orgOrigin: originKey(orgURL), scheme: c.scheme, authorization: c.scheme + " " + c.value}, nil
}

func isSpaceOrControl(r rune) bool {
	return r <= ' ' || r == 0x7f
}

// String names the credential kind without the token.
func (c *staticCredentials) String() string {
	return "auth." + c.kind + "([redacted])"
}

// Format writes String for every verb, so that no verb prints the token.
func (c *staticCredentials) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue returns the value of String.
func (c *staticCredentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// errDPoPTokenSource is returned when a TokenSource yields a DPoP-bound token.
var errDPoPTokenSource = errors.New("auth: the token source returned a DPoP-bound token, but TokenSource credentials cannot sign DPoP proofs; use PrivateKeyJWT or ClientSecret with DPoP set to true")

// TokenSource returns Credentials that take access tokens from ts, which must
// be safe for concurrent use. The returned credentials call ts.Token for
// every request and do not cache, so wrap ts in oauth2.ReuseTokenSource when
// it does not cache itself. The request's context cannot interrupt ts.Token.
//
// Tokens of type Bearer (token.Type()) are sent as "Authorization: Bearer".
// A DPoP-bound token makes the request fail, because it needs a DPoP proof
// signed with the key it is bound to: use PrivateKeyJWT or ClientSecret with
// the DPoP option for DPoP. An empty access token is an error.
//
// When the API rejects a token as invalid (401 with error="invalid_token"),
// the request is retried once if ts then returns a different token.
func TokenSource(ts oauth2.TokenSource) Credentials {
	return &sourceCredentials{source: ts}
}

// sourceCredentials take tokens from a caller's oauth2.TokenSource.
type sourceCredentials struct {
	source oauth2.TokenSource
}

func (c *sourceCredentials) RoundTripper(orgURL *url.URL, base http.RoundTripper) (http.RoundTripper, error) {
	if err := validateOrgURL(orgURL); err != nil {
		return nil, err
	}
	if c.source == nil {
		return nil, errors.New("auth: the token source passed to TokenSource is nil")
	}
	if base == nil {
		base = http.DefaultTransport
	}

	return &tokenTransport{
		base:        base,
		orgOrigin:   originKey(orgURL),
		tokens:      sourceProvider{source: c.source},
		logger:      slog.New(slog.DiscardHandler),
		dpopMissing: errDPoPTokenSource,
	}, nil
}

// String names the credential kind and the token source's type.
func (c *sourceCredentials) String() string {
	return fmt.Sprintf("auth.TokenSource(%T)", c.source)
}

// Format writes String for every verb, so that no verb prints the source's
// fields, which may hold a token.
func (c *sourceCredentials) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue returns the value of String.
func (c *sourceCredentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// sourceProvider adapts an oauth2.TokenSource to tokenProvider.
type sourceProvider struct {
	source oauth2.TokenSource
}

func (p sourceProvider) token(ctx context.Context) (*oauth2.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	token, err := p.source.Token()
	if err != nil {
		return nil, fmt.Errorf("auth: the token source failed: %w", err)
	}
	if token == nil || token.AccessToken == "" {
		return nil, errors.New("auth: the token source returned an empty access token")
	}
	return token, nil
}

// invalidate does nothing: the caller's source decides when to refresh.
func (sourceProvider) invalidate(*oauth2.Token) {}
