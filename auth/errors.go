package auth

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxErrorBody is how many bytes of a non-JSON token endpoint response a
// TokenError keeps.
const maxErrorBody = 512

// maxErrorText is how many bytes of the description or body Error shows.
const maxErrorText = 200

// TokenError is the error returned when the token endpoint rejects a token
// request, responds with a status other than 2xx, or returns a body that is
// not a token response.
//
// Every error caused by a token endpoint response keeps a *TokenError
// reachable with errors.As; errors from requests that got no response wrap
// the cause instead. Secrets that were sent in the request
// (client secret, client assertion, DPoP proof) are replaced by "[redacted]"
// in Description and Body, in case the server echoes them.
type TokenError struct {
	// StatusCode is the HTTP status code of the response.
	StatusCode int

	// ErrorCode is the RFC 6749 "error" member, such as "invalid_client",
	// or Okta's "errorCode" when the response uses Okta's API error format.
	// It is empty when the body is not JSON.
	ErrorCode string

	// Description is the RFC 6749 "error_description" member, or Okta's
	// "errorSummary".
	Description string

	// Body is the start of the response body, at most 512 bytes, when the
	// body is not JSON. It is nil for JSON bodies.
	Body []byte
}

// Error returns one line: the status, the error code and the description, or
// the start of the body when it is not JSON.
func (e *TokenError) Error() string {
	var b strings.Builder
	b.WriteString("auth: token request failed: ")
	b.WriteString(e.summary())
	return b.String()
}

// summary returns the error without its prefix, such as
// "401 invalid_client: The client secret is invalid.".
func (e *TokenError) summary() string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(e.StatusCode))

	if e.ErrorCode != "" {
		b.WriteString(" ")
		b.WriteString(oneLine(e.ErrorCode, maxErrorText))
	} else if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteString(" ")
		b.WriteString(strings.ToLower(text))
	}

	switch {
	case e.Description != "":
		b.WriteString(": ")
		b.WriteString(oneLine(e.Description, maxErrorText))
	case len(e.Body) > 0:
		b.WriteString(": response is not JSON: ")
		b.WriteString(strconv.Quote(oneLine(string(e.Body), maxErrorText)))
	case e.ErrorCode == "":
		b.WriteString(": response is not a token response")
	}
	return b.String()
}

// DPoPRequiredError is the error returned when the token endpoint requires
// DPoP (RFC 9449) or issues a DPoP-bound token, but the credentials were
// built without DPoP. Okta requires DPoP when the app has "Require
// Demonstrating Proof of Possession (DPoP) header in token requests" turned
// on. The request is not retried.
type DPoPRequiredError struct {
	// Option is the configuration field that turns DPoP on, such as
	// "PrivateKeyConfig.DPoP".
	Option string

	// Err is the token endpoint's response.
	Err *TokenError
}

// Error names the option to set.
func (e *DPoPRequiredError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("auth: the token requires DPoP; set %s to true", e.Option)
	}
	return fmt.Sprintf("auth: the token endpoint requires DPoP (%s); set %s to true", e.Err.summary(), e.Option)
}

// Unwrap returns the token endpoint's error.
func (e *DPoPRequiredError) Unwrap() error {
	if e.Err == nil {
		return nil
	}
	return e.Err
}

// oneLine returns s with control characters and runs of white space replaced
// by one space, cut to at most max bytes on a rune boundary.
func oneLine(s string, max int) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false

		if b.Len()+utf8.RuneLen(r) > max {
			b.WriteString("...")
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

// redact replaces every secret in s by "[redacted]". Secrets shorter than
// four bytes are ignored, because they would match ordinary text.
func redact(s string, secrets []string) string {
	for _, secret := range secrets {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}
