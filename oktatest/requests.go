package oktatest

import (
	"net/http"
	"slices"
	"strings"
)

// Request is one request the server received, as recorded for tests.
type Request struct {
	// OperationID is the spec's operationId, or empty for a path or method
	// the API does not have.
	OperationID string

	Method string
	Path   string // decoded path, such as /api/v1/agentPools/a/b/updates for an escaped a%2Fb
	// RawQuery is the query as sent, without the "?".
	RawQuery string

	// Header is a copy of the request headers, with the credentials in
	// Authorization and DPoP replaced by "[redacted]". The scheme of
	// Authorization (SSWS, Bearer, DPoP) is kept.
	Header http.Header

	Body []byte

	// RequestID is the X-Okta-Request-Id of the response.
	RequestID string

	// Status is the status of the response, or 0 when the client went away
	// during an injected delay and nothing was written.
	Status int
}

// redacted replaces credentials in a copy of the recorded headers.
const redacted = "[redacted]"

func redactHeader(h http.Header) http.Header {
	out := h.Clone()
	if out == nil {
		out = http.Header{}
	}
	for i, value := range out.Values("Authorization") {
		scheme, _, found := strings.Cut(value, " ")
		if found {
			out["Authorization"][i] = scheme + " " + redacted
		} else {
			out["Authorization"][i] = redacted
		}
	}
	for i := range out.Values("Dpop") {
		out["Dpop"][i] = redacted
	}
	return out
}

func (s *Server) recordRequest(rec Request) {
	s.requestsMu.Lock()
	defer s.requestsMu.Unlock()
	s.requests = append(s.requests, rec)
}

// Requests returns copies of the API requests the server received, in the
// order the server responded to them. A request is recorded before its response is
// written, so it is there once the client has the response. Requests to the token endpoint are
// not recorded here, because their bodies carry client credentials.
func (s *Server) Requests() []Request {
	s.requestsMu.Lock()
	defer s.requestsMu.Unlock()

	out := make([]Request, len(s.requests))
	for i, rec := range s.requests {
		rec.Header = rec.Header.Clone()
		rec.Body = slices.Clone(rec.Body)
		out[i] = rec
	}
	return out
}

// ResetRequests deletes the recorded requests.
func (s *Server) ResetRequests() {
	s.requestsMu.Lock()
	defer s.requestsMu.Unlock()
	s.requests = nil
}
