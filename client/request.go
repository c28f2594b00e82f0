package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/seed570a29ac/agentpools/api"
)

// ErrResponseTooLarge matches, with errors.Is, the error a method returns
// when a successful response body is larger than the limit of
// WithMaxResponseBytes.
var ErrResponseTooLarge = errors.New("client: response body is larger than the limit")

// tooLargeError is the error for a response body over the limit.
type tooLargeError struct {
	method, path string
	limit        int64
	requestID    string
}

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("client: %s %s: response body is larger than the limit of %d bytes; raise it with WithMaxResponseBytes (request id %s)",
		e.method, e.path, e.limit, e.requestID)
}

// Is reports whether target is ErrResponseTooLarge.
func (e *tooLargeError) Is(target error) bool { return target == ErrResponseTooLarge }

// checkID rejects an empty path parameter before any request, and the
// values "." and "..": the generated request builders resolve the path as
// a relative reference, which would remove such a segment and send the
// request to another endpoint.
func checkID(name, value string) error {
	switch value {
	case "":
		return fmt.Errorf("client: %s is empty; pass the ID of an agent pool or update", name)
	case ".", "..":
		return fmt.Errorf("client: %s %q is not a valid ID; pass the ID of an agent pool or update", name, value)
	}
	return nil
}

// encodeBody encodes v once, so that every attempt sends identical bytes.
func encodeBody(op operation, v any) ([]byte, error) {
	b, err := api.EncodeJSON(v)
	if err != nil {
		return nil, fmt.Errorf("client: %s: encoding the request body: %w", op.id, err)
	}
	return b, nil
}

// buildFailed wraps an error of a generated request builder.
func buildFailed(op operation, err error) error {
	return fmt.Errorf("client: %s: building the request: %w", op.id, err)
}

// prepare sets the headers that every request carries and makes the body
// replayable for retries and redirects.
func (c *Client) prepare(req *http.Request) {
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)

	if req.Body == nil && req.Method == http.MethodPost {
		// NOTE: Okta responds 411 Length Required to a POST without a
		// Content-Length header, so body-less actions send an empty body
		// with an explicit length of 0.
		req.Body = http.NoBody
		req.GetBody = func() (io.ReadCloser, error) { return http.NoBody, nil }
		req.ContentLength = 0
	}
}

// newAttempt returns a copy of req for one attempt, with a fresh body. The
// copy shares req's headers: nothing changes them after prepare, and the
// credentials' RoundTripper sets its headers on a clone of its own.
func newAttempt(ctx context.Context, req *http.Request) (*http.Request, error) {
	r := req.WithContext(ctx)
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = body
	}
	return r, nil
}

// readBody reads at most limit bytes of the response body and reports
// whether the body had more. A successful response that announces a larger
// Content-Length is not read at all. Of an error response, the first limit
// bytes are returned, so that its start can be shown.
func readBody(resp *http.Response, limit int64) ([]byte, bool, error) {
	success := resp.StatusCode >= 200 && resp.StatusCode < 300
	if success && resp.ContentLength > limit {
		return nil, true, nil
	}

	// A body of known length is read into a buffer of that size, which
	// saves io.ReadAll's growing copies on large pages.
	if resp.ContentLength >= 0 && resp.ContentLength <= limit {
		b := make([]byte, resp.ContentLength)
		if _, err := io.ReadFull(resp.Body, b); err != nil {
			return nil, false, err
		}
		return b, false, nil
	}

	readLimit := limit
	if readLimit < 1<<62 {
		readLimit++
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, readLimit))
	if err != nil {
		return nil, false, err
	}
	if int64(len(b)) > limit {
		return b[:limit], true, nil
	}
	return b, false, nil
}

// decodeJSON decodes the body of a successful response into out.
func decodeJSON(op operation, resp *http.Response, body []byte, out any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Errorf("client: %s %s: %d response has an empty body, expected JSON (request id %s)",
			op.method, resp.Request.URL.EscapedPath(), resp.StatusCode, requestIDOf(resp))
	}
	if err := api.DecodeJSON(body, out); err != nil {
		return fmt.Errorf("client: %s %s: decoding the %d response (request id %s): %w",
			op.method, resp.Request.URL.EscapedPath(), resp.StatusCode, requestIDOf(resp), err)
	}
	return nil
}

func requestIDOf(resp *http.Response) string {
	if id := resp.Header.Get("X-Okta-Request-Id"); id != "" {
		return oneLine(id)
	}
	return "none"
}

// unwrapURLError returns the cause inside a *url.Error, whose own message
// repeats the whole URL.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// sameOriginRedirects returns a CheckRedirect function that follows at most
// 10 redirects, and only within the org's origin. The credentials are added
// by the transport to every request, redirected ones included, so a
// redirect to another origin would hand them to that host.
func sameOriginRedirects(org *url.URL) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		if !sameOrigin(req.URL, org) {
			return fmt.Errorf("rejected a redirect to %q, another origin than the org %q, so that credentials stay with the org",
				req.URL.Scheme+"://"+req.URL.Host, org.String())
		}
		return nil
	}
}

func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		effectivePort(a) == effectivePort(b)
}

// effectivePort returns the port of u, or the default port of its scheme.
func effectivePort(u *url.URL) string {
	if port := u.Port(); port != "" {
		return port
	}
	switch strings.ToLower(u.Scheme) {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}
