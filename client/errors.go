package client

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Error is a response of the Okta API with a status other than 2xx. Every
// method of Client returns it, possibly wrapped, for such a response; test
// for it with errors.As, or with IsNotFound and the other Is functions.
// When the Client retried the request, Error describes the last response.
type Error struct {
	// StatusCode is the HTTP status of the response, such as 404. It is 0 only
	// in a RateLimitError for a request that pacing kept from being sent.
	StatusCode int

	// Method and URL identify the request. URL has no user information, and
	// the values of query parameters that may hold secrets are replaced.
	Method string
	URL    string

	// Code, Summary, Link and ID are the errorCode, errorSummary, errorLink
	// and errorId members of Okta's error object, such as "E0000007" and
	// "Not found: Resource not found: x (AgentPoolUpdate)". For an OAuth 2.0
	// error body they are the error and error_description members. They
	// are empty when the body is neither.
	Code    string
	Summary string
	Link    string
	ID      string

	// Causes lists the errorSummary of each of Okta's errorCauses.
	Causes []string

	// RequestID is the X-Okta-Request-Id header, which Okta support and the
	// System Log use to find the request.
	RequestID string

	// AuthError is the error parameter of the WWW-Authenticate header, such
	// as "invalid_token" or "insufficient_scope", or "" when there is none.
	AuthError string

	// Body is the start of the response body, at most 512 bytes, when the
	// body is not an Okta or OAuth 2.0 error object.
	Body string

	// RateLimit holds the X-Rate-Limit-* headers of the response.
	RateLimit RateLimit

	// Attempts is the number of times the request was sent.
	Attempts int

	bodyKind   string // label of Body in Error(), such as "empty body" or "HTML body"
	stopReason string // reason the Client stopped retrying, or ""
}

// maxErrorBody is the number of bytes of a response body that Error.Body
// keeps, and maxMessageBody the number that Error() quotes.
const (
	maxErrorBody   = 512
	maxMessageBody = 80
)

// Error returns the error on one line: the request, the status, Okta's
// error code and summary, then the request ID and the number of attempts.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("client: ")
	b.WriteString(e.Method)
	b.WriteString(" ")
	b.WriteString(pathOf(e.URL))
	b.WriteString(": ")

	if e.StatusCode == 0 {
		b.WriteString("not sent")
	} else {
		b.WriteString(strconv.Itoa(e.StatusCode))
	}
	if e.Code != "" {
		b.WriteString(" ")
		b.WriteString(oneLine(e.Code))
	}
	if e.Summary != "" {
		b.WriteString(" ")
		b.WriteString(oneLine(e.Summary))
	}
	if len(e.Causes) > 0 {
		causes := make([]string, len(e.Causes))
		for i, c := range e.Causes {
			causes[i] = oneLine(c)
		}
		b.WriteString(" [")
		b.WriteString(strings.Join(causes, "; "))
		b.WriteString("]")
	}
	if e.Code == "" && e.Summary == "" && e.StatusCode != 0 {
		switch {
		case e.bodyKind == "empty body" || (e.bodyKind == "" && e.Body == ""):
			b.WriteString(" (empty body)")
		default:
			kind := e.bodyKind
			if kind == "" {
				kind = "body"
			}
			fmt.Fprintf(&b, " (%s: %q)", kind, truncate(e.Body, maxMessageBody))
		}
	}

	b.WriteString(" (")
	b.WriteString(strings.Join(e.details(), ", "))
	b.WriteString(")")
	return b.String()
}

// details returns the parenthesized facts at the end of Error().
func (e *Error) details() []string {
	var details []string
	if e.AuthError != "" {
		details = append(details, "auth error "+oneLine(e.AuthError))
	}
	if e.StatusCode == http.StatusTooManyRequests || e.StatusCode == 0 {
		if !e.RateLimit.Reset.IsZero() {
			details = append(details, "rate limit resets at "+e.RateLimit.Reset.UTC().Format(time.RFC3339))
		}
	}
	if e.RequestID != "" {
		details = append(details, "request id "+oneLine(e.RequestID))
	}

	switch e.Attempts {
	case 1:
		details = append(details, "1 attempt")
	default:
		details = append(details, strconv.Itoa(e.Attempts)+" attempts")
	}
	if e.stopReason != "" {
		details = append(details, e.stopReason)
	}
	return details
}

// RateLimitError is returned for a 429 Too Many Requests response, after the
// retries that RetryPolicy allows, and when pacing would have to wait longer
// than the retry budget allows. Err holds the status, Okta's error and the
// rate-limit headers of the last response, so errors.As finds both types.
type RateLimitError struct {
	// Reset is when the rate-limit window of the endpoint resets, from the
	// X-Rate-Limit-Reset header, or zero when the response had no usable one.
	Reset time.Time

	// Err is the last response.
	Err *Error
}

// Error returns the message of Err.
func (e *RateLimitError) Error() string {
	if e.Err == nil {
		return "client: rate limited"
	}
	return e.Err.Error()
}

// Unwrap returns Err.
func (e *RateLimitError) Unwrap() error {
	if e.Err == nil {
		return nil
	}
	return e.Err
}

// IsNotFound reports whether err is, or wraps, an *Error with status 404,
// which Okta returns for an unknown pool or update.
func IsNotFound(err error) bool { return statusOf(err) == http.StatusNotFound }

// IsForbidden reports whether err is, or wraps, an *Error with status 403,
// which Okta returns when the credentials lack a permission or scope.
func IsForbidden(err error) bool { return statusOf(err) == http.StatusForbidden }

// IsUnauthorized reports whether err is, or wraps, an *Error with status
// 401, which Okta returns for a missing, invalid or expired credential.
func IsUnauthorized(err error) bool { return statusOf(err) == http.StatusUnauthorized }

// IsRateLimited reports whether err is, or wraps, a *RateLimitError.
func IsRateLimited(err error) bool {
	var rl *RateLimitError
	return errors.As(err, &rl)
}

func statusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}

// oneLine replaces control characters, such as newlines, with spaces, so
// that text from a server cannot break an error message into lines.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// truncate cuts s to at most limit bytes without splitting a UTF-8
// sequence, and marks a cut with "...".
func truncate(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && cut < len(s) && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

func isRuneStart(b byte) bool { return b&0xc0 != 0x80 }
