package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/internal/origin"
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

// errNilContext is returned by every method given a nil Context, before
// it checks its other arguments.
var errNilContext = errors.New("client: nil Context; pass context.Background() or a request context")

// checkContext rejects a nil ctx, for which http.NewRequestWithContext
// would return a less clear error, and only after the other arguments are
// checked.
func checkContext(ctx context.Context) error {
	if ctx == nil {
		return errNilContext
	}
	return nil
}

// checkID rejects an empty path parameter before any request, and the
// values "." and "..". url.PathEscape leaves those as they are, so a server
// or proxy that removes dot segments (RFC 3986, section 5.2.4) would send
// the request to another endpoint.
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

// buildFailed wraps an error from building the request of op.
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

// newAttempt returns the request to send for attempt number attempt, which
// counts from 1. The first attempt sends req itself, whose body is unread.
// A later attempt sends a shallow copy of req with a fresh body from
// GetBody, and leaves req alone: the transport may still be reading the
// body of an earlier attempt. The copies share req's headers, because
// nothing changes them after prepare, and the credentials' RoundTripper
// adds its headers to a copy of its own.
func newAttempt(req *http.Request, attempt int) (*http.Request, error) {
	if attempt == 1 {
		return req, nil
	}

	r := req.WithContext(req.Context())
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
func decodeJSON(op operation, resp reply, out any) error {
	if len(bytes.TrimSpace(resp.body)) == 0 {
		return fmt.Errorf("client: %s %s: %d response has an empty body, expected JSON (request id %s)",
			op.method, resp.url.EscapedPath(), resp.status, resp.requestID())
	}
	if err := api.DecodeJSON(resp.body, out); err != nil {
		return fmt.Errorf("client: %s %s: decoding the %d response (request id %s): %w",
			op.method, resp.url.EscapedPath(), resp.status, resp.requestID(), err)
	}
	return nil
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
		if !origin.Same(req.URL, org) {
			return fmt.Errorf("rejected a redirect to %q, another origin than the org %q, so that credentials stay with the org",
				req.URL.Scheme+"://"+req.URL.Host, org.String())
		}
		return nil
	}
}
