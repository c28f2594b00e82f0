package auth

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"github.com/seed570a29ac/agentpools/internal/origin"
)

// maxDiscard is how many bytes of a rejected response are read before its
// body is closed, so that the connection can be reused.
const maxDiscard = 4 << 10

// originKey is the scheme and host of a URL in the form that compares equal for
// equal origins: lower case, without a default port.
func originKey(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Host)
	if h, port, err := net.SplitHostPort(host); err == nil {
		if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
			host = h
			if strings.Contains(h, ":") {
				host = "[" + h + "]"
			}
		}
	}
	return scheme + "://" + host
}

// validateOrgURL checks the org URL that RoundTripper receives.
func validateOrgURL(orgURL *url.URL) error {
	if orgURL == nil {
		return errors.New("auth: the org URL is nil")
	}
	if orgURL.Scheme != "https" && (orgURL.Scheme != "http" || !origin.IsLoopback(orgURL.Hostname())) {
		return fmt.Errorf("auth: invalid org URL %q: use an https URL such as https://example.okta.com; plain http is accepted only for loopback hosts", orgURL.Redacted())
	}
	if orgURL.Host == "" {
		return fmt.Errorf("auth: invalid org URL %q: the host is missing", orgURL.Redacted())
	}
	return nil
}

// checkRequest returns an error, and closes the request body, unless req is
// for the org at orgOrigin. Credentials are never sent to another origin.
func checkRequest(req *http.Request, orgOrigin string) error {
	if req.URL == nil {
		closeRequestBody(req)
		return errors.New("auth: the request has no URL")
	}
	if isOrigin(req.URL, orgOrigin) {
		return nil
	}
	if got := originKey(req.URL); got != orgOrigin {
		closeRequestBody(req)
		return fmt.Errorf("auth: refusing to send credentials for %s to %s; requests must go to the org URL", orgOrigin, got)
	}
	return nil
}

// isOrigin reports whether u's scheme and host, joined by "://", are
// exactly orgOrigin. It saves building the origin string for the usual
// request, whose URL was built from the org URL. orgOrigin is the output
// of originKey, and originKey returns such a string unchanged, so a true result
// means originKey(u) == orgOrigin. A false result decides nothing.
func isOrigin(u *url.URL, orgOrigin string) bool {
	rest, ok := strings.CutPrefix(orgOrigin, u.Scheme)
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(rest, "://")
	return ok && rest == u.Host
}

// copyRequest returns a shallow copy of req with a header map of its own,
// which the credentials' headers are added to. The copy shares req's URL,
// body and header values: the http.RoundTripper contract forbids changing
// them, so only the new map is written. This costs less than req.Clone,
// which also copies the URL and every header value.
func copyRequest(req *http.Request) *http.Request {
	out := new(http.Request)
	*out = *req

	// Two spare entries fit Authorization and DPoP.
	out.Header = make(http.Header, len(req.Header)+2)
	for name, values := range req.Header {
		out.Header[name] = values
	}
	return out
}

// closeRequestBody closes the body of a request that will not be sent, as
// the http.RoundTripper contract requires.
func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// discardResponse reads a little of a response that will not be returned and
// closes its body. A read error only means that the connection is not
// reused, so it is ignored.
func discardResponse(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, maxDiscard)
	resp.Body.Close()
}

// hasBody reports whether req carries a body that a retry must send again.
func hasBody(req *http.Request) bool {
	return req.Body != nil && req.Body != http.NoBody
}

// newBody returns a fresh copy of the request body for a retry. It returns
// false when the body cannot be sent again because GetBody is nil.
func newBody(req *http.Request) (io.ReadCloser, bool) {
	if !hasBody(req) {
		return req.Body, true
	}
	if req.GetBody == nil {
		return nil, false
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, false
	}
	return body, true
}

// headerTransport sets a fixed Authorization header on every request.
type headerTransport struct {
	base          http.RoundTripper
	orgOrigin     string
	scheme        string // "SSWS" or "Bearer"
	authorization string // the header value: scheme, a space and the secret
}

func (t *headerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := checkRequest(req, t.orgOrigin); err != nil {
		return nil, err
	}

	// Each request gets its own value slice, so that a base transport that
	// writes into it cannot change the header of later requests.
	out := copyRequest(req)
	out.Header["Authorization"] = []string{t.authorization}
	return t.base.RoundTrip(out)
}

// String describes the transport without its secret.
func (t *headerTransport) String() string {
	return fmt.Sprintf("auth.transport{org: %s, scheme: %s, credential: [redacted]}", t.orgOrigin, t.scheme)
}

// Format writes String for every verb, so that no verb prints the secret.
func (t *headerTransport) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, t.String()) }

// LogValue returns the value of String.
func (t *headerTransport) LogValue() slog.Value { return slog.StringValue(t.String()) }

// tokenTransport authorizes requests with OAuth 2.0 access tokens, Bearer or
// DPoP-bound.
//
// A request is sent at most three times: once, once more with a new DPoP
// proof when the server requests a DPoP nonce, and once more with a new token
// when the server rejects the token as invalid.
type tokenTransport struct {
	base      http.RoundTripper
	orgOrigin string
	tokens    tokenProvider
	dpop      *dpopProver // nil when DPoP is off
	logger    *slog.Logger

	// dpopMissing is the error for a DPoP token when dpop is nil.
	dpopMissing error
}

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := checkRequest(req, t.orgOrigin); err != nil {
		return nil, err
	}

	ctx := req.Context()
	token, err := t.tokens.token(ctx)
	if err != nil {
		closeRequestBody(req)
		return nil, err
	}

	nonceRetries := 1
	resp, err := t.send(req, req.Body, token, &nonceRetries)
	if err != nil || !isInvalidToken(resp) {
		return resp, err
	}

	// The token was revoked or expired before its time. Drop it, fetch a
	// new one and send the request once more.
	if hasBody(req) && req.GetBody == nil {
		return resp, nil
	}
	t.tokens.invalidate(token)
	fresh, err := t.tokens.token(ctx)
	if err != nil {
		discardResponse(resp)
		return nil, err
	}
	if fresh.AccessToken == token.AccessToken {
		return resp, nil
	}
	body, ok := newBody(req)
	if !ok {
		return resp, nil
	}

	t.logger.DebugContext(ctx, "access token rejected as invalid; retrying with a new token",
		"method", req.Method, "url", proofURL(req.URL))
	discardResponse(resp)
	return t.send(req, body, fresh, &nonceRetries)
}

// send sends req with body and token, and retries once with a new proof when
// a DPoP nonce is requested and *nonceRetries is positive.
func (t *tokenTransport) send(req *http.Request, body io.ReadCloser, token *oauth2.Token, nonceRetries *int) (*http.Response, error) {
	for {
		out := copyRequest(req)
		out.Body = body

		if err := t.authorize(out, token); err != nil {
			closeRequestBody(out)
			return nil, err
		}

		resp, err := t.base.RoundTrip(out)
		if err != nil || t.dpop == nil || token.Type() != "DPoP" {
			return resp, err
		}

		t.dpop.nonces.remember(t.orgOrigin, resp)
		if *nonceRetries <= 0 || !isNonceChallenge(resp) {
			return resp, nil
		}
		next, ok := newBody(req)
		if !ok {
			return resp, nil
		}

		// NOTE: a resource server may require a nonce in DPoP proofs. It
		// then responds 401 with WWW-Authenticate: DPoP
		// error="use_dpop_nonce" and the nonce in a DPoP-Nonce header.
		*nonceRetries--
		t.logger.DebugContext(req.Context(), "resource server requires a DPoP nonce; retrying",
			"method", req.Method, "url", proofURL(req.URL))
		discardResponse(resp)
		body = next
	}
}

// authorize sets the Authorization header of out, and a new DPoP proof for a
// DPoP-bound token.
func (t *tokenTransport) authorize(out *http.Request, token *oauth2.Token) error {
	switch token.Type() {
	case "Bearer":
		out.Header.Set("Authorization", "Bearer "+token.AccessToken)
		return nil

	case "DPoP":
		if t.dpop == nil {
			return t.dpopMissing
		}
		proof, err := t.dpop.proof(out.Method, out.URL, t.dpop.nonces.get(t.orgOrigin), token.AccessToken)
		if err != nil {
			return err
		}
		out.Header.Set("Authorization", "DPoP "+token.AccessToken)
		out.Header.Set("DPoP", proof)
		return nil

	default:
		return fmt.Errorf("auth: unsupported token type %q; want Bearer or DPoP", oneLine(token.Type(), 40))
	}
}

// String describes the transport without its token.
func (t *tokenTransport) String() string {
	return fmt.Sprintf("auth.transport{org: %s, dpop: %t, token: [redacted]}", t.orgOrigin, t.dpop != nil)
}

// Format writes String for every verb, so that no verb prints the token.
func (t *tokenTransport) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, t.String()) }

// LogValue returns the value of String.
func (t *tokenTransport) LogValue() slog.Value { return slog.StringValue(t.String()) }
