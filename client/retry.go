package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"
)

// decision is the retry policy's verdict on a failed attempt.
type decision struct {
	retry  bool
	wait   time.Duration
	reason string // why, for the debug log and for an error that ends retries
}

// reply is a response whose body send has read, up to the limit of
// WithMaxResponseBytes, and closed.
type reply struct {
	status   int
	url      *url.URL // the URL of the request that got the response, after redirects
	header   http.Header
	body     []byte // at most the limit; nil for a 2xx response whose Content-Length is over it
	tooLarge bool   // the body is longer than the limit
}

// requestID returns Okta's request ID for an error message, or "none".
func (r reply) requestID() string {
	if id := r.header.Get("X-Okta-Request-Id"); id != "" {
		return oneLine(id)
	}
	return "none"
}

// call sends req for op and decodes a 2xx JSON body into out, unless out is
// nil. req must come from newRequest with the same ctx. It retries as
// RetryPolicy allows and returns the final response.
//
// call returns ctx.Err() when ctx ends, also during a wait; a *Error or
// *RateLimitError for a response that is not 2xx; and a wrapped error for a
// network failure or an invalid body.
func (c *Client) call(ctx context.Context, op operation, req *http.Request, out any) (reply, error) {
	if err := ctx.Err(); err != nil {
		return reply{}, err
	}
	c.prepare(req)

	var waited time.Duration
	for attempt := 1; ; attempt++ {
		if err := c.pace(ctx, op, req, &waited, attempt-1); err != nil {
			return reply{}, err
		}

		resp, err := c.send(ctx, op, req, attempt)

		var failure error
		var verdict decision
		switch {
		case err != nil && ctx.Err() != nil:
			return reply{}, ctx.Err()
		case err != nil:
			failure = err
			verdict = c.decideNetwork(op, attempt, err)
		case resp.status >= 200 && resp.status < 300:
			return resp, c.finishSuccess(op, resp, out)
		default:
			verdict, failure = c.decideResponse(op, attempt, resp)
		}

		if stop, reason := c.shouldStop(verdict, attempt, waited); stop {
			return reply{}, withAttempts(failure, op, req, attempt, reason)
		}

		if c.logger.Enabled(ctx, slog.LevelDebug) {
			c.logger.DebugContext(ctx, "agentpools: retrying request",
				"operation", op.id, "method", op.method, "path", req.URL.EscapedPath(),
				"attempt", attempt, "status", resp.status, "wait", verdict.wait,
				"reason", verdict.reason, "request_id", resp.header.Get("X-Okta-Request-Id"))
		}
		if err := c.clock.Wait(ctx, verdict.wait); err != nil {
			return reply{}, err
		}
		waited += verdict.wait
	}
}

// send makes one attempt and reads the response's body up to the limit. On
// a network error, the reply is the zero value.
func (c *Client) send(ctx context.Context, op operation, req *http.Request, attempt int) (reply, error) {
	r, err := newAttempt(req, attempt)
	if err != nil {
		return reply{}, err
	}

	// The attributes of a debug record are built only when the logger
	// takes the record, so that a silent Client does not allocate them.
	debug := c.logger.Enabled(ctx, slog.LevelDebug)
	start := c.clock.Now()
	resp, err := c.httpClient.Do(r)
	if err != nil {
		if debug {
			c.logger.DebugContext(ctx, "agentpools: request failed",
				"operation", op.id, "method", op.method, "path", req.URL.EscapedPath(),
				"attempt", attempt, "error", unwrapURLError(err).Error())
		}
		return reply{}, unwrapURLError(err)
	}
	defer resp.Body.Close()

	body, tooLarge, err := readBody(resp, c.maxBody)
	if debug {
		c.logger.DebugContext(ctx, "agentpools: request",
			"operation", op.id, "method", op.method, "path", req.URL.EscapedPath(),
			"attempt", attempt, "status", resp.StatusCode, "duration", c.clock.Now().Sub(start),
			"request_id", resp.Header.Get("X-Okta-Request-Id"))
	}
	if c.pacer != nil {
		c.pacer.observe(op.endpoint, parseRateLimit(resp.Header), resp.Header, c.clock.Now())
	}
	if err != nil {
		return reply{}, fmt.Errorf("reading the %d response: %w", resp.StatusCode, err)
	}
	return reply{status: resp.StatusCode, url: resp.Request.URL, header: resp.Header, body: body, tooLarge: tooLarge}, nil
}

// finishSuccess decodes the body of a 2xx response into out.
func (c *Client) finishSuccess(op operation, resp reply, out any) error {
	if resp.tooLarge {
		return &tooLargeError{method: op.method, path: resp.url.EscapedPath(), limit: c.maxBody, requestID: resp.requestID()}
	}
	if out == nil {
		return nil
	}
	return decodeJSON(op, resp, out)
}

// decideResponse builds the error for a response that is not 2xx and decides
// whether to retry it.
func (c *Client) decideResponse(op operation, attempt int, resp reply) (decision, error) {
	apiErr := newError(op.method, resp.url, resp.status, resp.header, resp.body)

	switch {
	case resp.status == http.StatusTooManyRequests:
		// NOTE: Okta does not process a request that it rejects with 429,
		// so repeating any request after a 429 is safe.
		return c.rateLimitWait(attempt, resp.header), &RateLimitError{Reset: apiErr.RateLimit.Reset, Err: apiErr}
	case !isRetryableStatus(resp.status):
		return decision{}, apiErr
	case op.safety != safeToRepeat:
		return decision{reason: "not retried because repeating the request could apply it twice"}, apiErr
	default:
		return decision{retry: true, wait: c.retry.backoff(attempt, c.random), reason: fmt.Sprintf("status %d", resp.status)}, apiErr
	}
}

// rateLimitWait decides the wait after a 429 response: until the reset that
// X-Rate-Limit-Reset gives, measured from the response's Date, plus jitter.
// Without a usable reset, or with one in the past, it backs off instead,
// so the retry is never immediate.
func (c *Client) rateLimitWait(attempt int, h http.Header) decision {
	untilReset, ok := parseRateLimit(h).untilReset(h, c.clock.Now())
	if !ok || untilReset <= 0 {
		return decision{retry: true, wait: c.retry.backoff(attempt, c.random), reason: "rate limited, no reset ahead"}
	}
	return decision{retry: true, wait: untilReset + jitter(rateLimitJitter, c.random), reason: "rate limited until reset"}
}

// decideNetwork decides whether to retry after a network error.
func (c *Client) decideNetwork(op operation, attempt int, err error) decision {
	switch {
	case !isTransientNetworkError(err):
		return decision{}
	case op.safety != safeToRepeat:
		return decision{reason: "not retried because repeating the request could apply it twice"}
	default:
		return decision{retry: true, wait: c.retry.backoff(attempt, c.random), reason: "network error"}
	}
}

// shouldStop reports whether no retry follows the attempt, and why; the
// reason is "" for a response that is never retried, such as a 404.
func (c *Client) shouldStop(verdict decision, attempt int, waited time.Duration) (bool, string) {
	switch {
	case !verdict.retry:
		return true, verdict.reason
	case attempt >= c.retry.MaxAttempts:
		return true, fmt.Sprintf("attempt limit of %d reached", c.retry.MaxAttempts)
	case verdict.wait > c.retry.MaxWait-waited:
		reason := fmt.Sprintf("the next wait of %s would exceed the retry budget of %s", verdict.wait.Round(time.Millisecond), c.retry.MaxWait)
		return true, withWaited(waited, reason)
	}
	return false, ""
}

// withWaited prefixes the reason why a wait would exceed the retry budget
// with the time the call has already waited, when it has waited, because
// the budget caps the sum of the two.
func withWaited(waited time.Duration, reason string) string {
	if waited <= 0 {
		return reason
	}
	return fmt.Sprintf("waited %s; %s", waited.Round(time.Millisecond), reason)
}

// pace waits before an attempt while the endpoint's rate-limit window is
// used up, counting the wait against the retry budget. When the wait would
// exceed the budget it returns a *RateLimitError without sending.
func (c *Client) pace(ctx context.Context, op operation, req *http.Request, waited *time.Duration, sent int) error {
	if c.pacer == nil {
		return nil
	}

	d, window := c.pacer.delay(op.endpoint, c.clock.Now())
	if d <= 0 {
		return nil
	}
	d += jitter(rateLimitJitter, c.random)

	if d > c.retry.MaxWait-*waited {
		reason := fmt.Sprintf("the rate limit of the endpoint is used up and the wait of %s would exceed the retry budget of %s",
			d.Round(time.Millisecond), c.retry.MaxWait)
		apiErr := &Error{
			Method:     op.method,
			URL:        scrubURL(req.URL),
			RateLimit:  RateLimit{Limit: -1, Remaining: 0, Reset: window.reset},
			Attempts:   sent,
			stopReason: withWaited(*waited, reason),
		}
		return &RateLimitError{Reset: window.reset, Err: apiErr}
	}

	if c.logger.Enabled(ctx, slog.LevelDebug) {
		c.logger.DebugContext(ctx, "agentpools: pacing request until the rate limit resets",
			"operation", op.id, "endpoint", op.endpoint, "wait", d, "reset", window.reset)
	}
	if err := c.clock.Wait(ctx, d); err != nil {
		return err
	}
	*waited += d
	return nil
}

// withAttempts records the number of attempts and the stop reason in the
// error that ends a call.
func withAttempts(err error, op operation, req *http.Request, attempts int, stop string) error {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		apiErr.Attempts = attempts
		apiErr.stopReason = stop
		return err
	}

	detail := fmt.Sprintf("%d attempts", attempts)
	if attempts == 1 {
		detail = "1 attempt"
	}
	if stop != "" {
		detail += ", " + stop
	}
	return fmt.Errorf("client: %s %s: %w (%s)", op.method, req.URL.EscapedPath(), err, detail)
}

// isRetryableStatus reports whether a server error status may go away on
// a later attempt.
func isRetryableStatus(status int) bool {
	switch status {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// isTransientNetworkError reports whether err is a network failure that a
// later attempt may not meet: a failed dial, read or write, a timeout, or
// a connection closed early. Other errors, such as a rejected redirect, a
// certificate that does not verify or a credential error, are returned at
// once.
func isTransientNetworkError(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return true
	}
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET)
}
