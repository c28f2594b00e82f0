package client

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/seed570a29ac/agentpools/api"
)

// newError builds the *Error for a response with status, headers h and body
// to a request with method to requestURL.
func newError(method string, requestURL *url.URL, status int, h http.Header, body []byte) *Error {
	e := &Error{
		StatusCode: status,
		Method:     method,
		URL:        scrubURL(requestURL),
		RequestID:  h.Get("X-Okta-Request-Id"),
		AuthError:  authErrorParam(h.Values("WWW-Authenticate")),
		RateLimit:  parseRateLimit(h).public(),
	}

	if decodeErrorBody(e, body) {
		return e
	}

	// Invalid UTF-8 is replaced before the cut, because a replacement
	// character is longer than the byte it replaces.
	start := body[:min(len(body), 4*maxErrorBody)]
	e.Body = truncate(strings.ToValidUTF8(string(start), "\uFFFD"), maxErrorBody)
	e.bodyKind = bodyKind(h.Get("Content-Type"), body)
	return e
}

// decodeErrorBody fills the Okta fields of e from an Okta error object or
// an OAuth 2.0 error object, and reports whether body was one of them.
func decodeErrorBody(e *Error, body []byte) bool {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return false
	}

	var okta api.Error
	if err := json.Unmarshal(trimmed, &okta); err != nil {
		return false
	}
	if okta.ErrorCode != nil || okta.ErrorSummary != nil {
		e.Code = deref(okta.ErrorCode)
		e.Summary = deref(okta.ErrorSummary)
		e.Link = deref(okta.ErrorLink)
		e.ID = deref(okta.ErrorId)
		if okta.ErrorCauses != nil {
			for _, cause := range *okta.ErrorCauses {
				if s := deref(cause.ErrorSummary); s != "" {
					e.Causes = append(e.Causes, s)
				}
			}
		}
		return true
	}

	// An OAuth 2.0 error object (RFC 6749 section 5.2), which Okta sends for
	// a rejected DPoP proof, for example.
	var oauth struct {
		Error            *string `json:"error"`
		ErrorDescription string  `json:"error_description"`
	}
	if err := json.Unmarshal(trimmed, &oauth); err != nil || oauth.Error == nil || *oauth.Error == "" {
		return false
	}
	e.Code = *oauth.Error
	e.Summary = oauth.ErrorDescription
	return true
}

// bodyKind names a body that is not an error object, for Error().
func bodyKind(contentType string, body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return "empty body"
	}

	mediaType, _, _ := mime.ParseMediaType(contentType)
	trimmed := bytes.TrimSpace(body)
	if mediaType == "text/html" || mediaType == "application/xhtml+xml" || bytes.HasPrefix(trimmed, []byte("<")) {
		return "HTML body"
	}
	if !utf8.Valid(body) {
		return "binary body"
	}
	return "body"
}

// authErrorParam returns the value of the first "error" parameter in the
// WWW-Authenticate header values, such as "invalid_token", or "".
func authErrorParam(values []string) string {
	for _, v := range values {
		if s, ok := findAuthParam(v, "error"); ok {
			return s
		}
	}
	return ""
}

// findAuthParam scans one WWW-Authenticate value (RFC 9110 section 11.6.1)
// for the auth-param name and returns its value, unquoted. Scheme names and
// token68 credentials are skipped.
func findAuthParam(header, name string) (string, bool) {
	i := 0
	for i < len(header) {
		for i < len(header) && (header[i] == ' ' || header[i] == '\t' || header[i] == ',') {
			i++
		}

		start := i
		for i < len(header) && isTokenChar(header[i]) {
			i++
		}
		token := header[start:i]
		if token == "" {
			i++ // a byte that is neither a token nor a separator
			continue
		}

		j := i
		for j < len(header) && (header[j] == ' ' || header[j] == '\t') {
			j++
		}
		if j >= len(header) || header[j] != '=' {
			continue // a scheme name
		}
		i = j + 1
		for i < len(header) && (header[i] == ' ' || header[i] == '\t') {
			i++
		}

		var value string
		value, i = readParamValue(header, i)
		if strings.EqualFold(token, name) {
			return value, true
		}
	}
	return "", false
}

// readParamValue reads a token or quoted-string starting at i and returns
// it with the index after it.
func readParamValue(s string, i int) (string, int) {
	if i < len(s) && s[i] == '"' {
		var b strings.Builder
		i++
		for i < len(s) && s[i] != '"' {
			if s[i] == '\\' && i+1 < len(s) {
				i++
			}
			b.WriteByte(s[i])
			i++
		}
		return b.String(), i + 1
	}

	start := i
	for i < len(s) && s[i] != ',' && s[i] != ' ' && s[i] != '\t' {
		i++
	}
	return s[start:i], i
}

// isTokenChar reports whether c is a tchar of RFC 9110 section 5.6.2.
func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// sensitiveQueryWords are parts of query parameter names whose values
// scrubURL replaces, because they may carry credentials.
var sensitiveQueryWords = []string{"token", "secret", "password", "assertion", "code", "key", "sig", "auth"}

// scrubURL formats u for an error message: without user information or
// fragment, and with "REDACTED" as the value of every query parameter whose
// name contains one of sensitiveQueryWords.
func scrubURL(u *url.URL) string {
	if u == nil {
		return ""
	}

	clean := *u
	clean.User = nil
	clean.Fragment = ""
	clean.RawFragment = ""

	if clean.RawQuery != "" {
		query, err := url.ParseQuery(clean.RawQuery)
		if err != nil {
			clean.RawQuery = "REDACTED"
		} else {
			for name := range query {
				if isSensitiveParam(name) {
					query[name] = []string{"REDACTED"}
				}
			}
			clean.RawQuery = query.Encode()
		}
	}
	return clean.String()
}

func isSensitiveParam(name string) bool {
	lower := strings.ToLower(name)
	for _, word := range sensitiveQueryWords {
		if strings.Contains(lower, word) {
			return true
		}
	}
	return false
}

// pathOf returns the escaped path of rawURL, or rawURL when it does not
// parse.
func pathOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Path == "" {
		return rawURL
	}
	return u.EscapedPath()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
