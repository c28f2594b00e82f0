package oktatest

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
)

// tokenAccess is the set of operations an API token may call.
type tokenAccess int

const (
	accessNone tokenAccess = iota
	accessRead
	accessManage
)

// apiTokenAccess returns what the SSWS token may do. It compares with every
// known token in constant time.
func (s *Server) apiTokenAccess(token string) tokenAccess {
	access := accessNone
	if subtle.ConstantTimeCompare([]byte(token), []byte(s.apiToken)) == 1 {
		access = accessManage
	}
	for _, readOnly := range s.readOnlyTokens {
		if subtle.ConstantTimeCompare([]byte(token), []byte(readOnly)) == 1 && access == accessNone {
			access = accessRead
		}
	}
	return access
}

// authorize checks the credentials of a request for op and returns the
// error to respond with, or nil when the request may go on.
//
// SSWS API tokens are checked here. Bearer and DPoP access tokens go to the
// OAuth 2.0 authorization server with the scope that op needs.
func (s *Server) authorize(r *http.Request, op *operation) *apiError {
	value := r.Header.Get("Authorization")
	if value == "" {
		e := invalidTokenError()
		e.header = http.Header{"Www-Authenticate": {s.missingTokenChallenge(r, op)}}
		return e
	}

	scheme, credentials, _ := strings.Cut(value, " ")
	credentials = strings.TrimSpace(credentials)
	switch {
	case strings.EqualFold(scheme, "SSWS"):
		switch s.apiTokenAccess(credentials) {
		case accessNone:
			return invalidTokenError()
		case accessRead:
			if op.scope != scopeRead {
				return forbiddenError()
			}
		}
		return nil

	case strings.EqualFold(scheme, "Bearer"), strings.EqualFold(scheme, "DPoP"):
		failure := s.oauth.authenticate(r, op.scope)
		if failure == nil {
			return nil
		}
		e := &apiError{status: failure.Status, code: failure.ErrorCode, summary: failure.ErrorSummary, header: http.Header{}}
		if failure.WWWAuthenticate != "" {
			e.header.Set("WWW-Authenticate", failure.WWWAuthenticate)
		}
		if failure.DPoPNonce != "" {
			e.header.Set("DPoP-Nonce", failure.DPoPNonce)
		}
		return e

	default:
		return invalidTokenError()
	}
}

// missingTokenChallenge returns the WWW-Authenticate value for a request
// without credentials, in the form Okta uses for its OAuth 2.0 challenges
// and without an error code, as RFC 6750 section 3.1 recommends for a
// request without authentication.
//
// NOTE: Okta does not document the challenge it sends to a request without
// an Authorization header; this one follows its Bearer challenges.
func (s *Server) missingTokenChallenge(r *http.Request, op *operation) string {
	base := (&apiRequest{http: r}).baseURL()
	return fmt.Sprintf(`Bearer authorization_uri="%s/oauth2/v1/authorize", realm="%s", scope="%s", resource="%s"`,
		base, base, op.scope, r.URL.EscapedPath())
}
