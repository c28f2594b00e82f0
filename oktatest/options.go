package oktatest

import (
	"log/slog"
	"time"
)

// Option configures a Server before it starts.
type Option func(*Server)

// WithAPIToken sets the SSWS API token that the server accepts for every
// operation. An empty tok keeps the default: a random token per server,
// which APIToken returns.
func WithAPIToken(tok string) Option {
	return func(s *Server) {
		if tok != "" {
			s.apiToken = tok
		}
	}
}

// WithReadOnlyAPIToken adds an SSWS API token that may call only the read
// operations (the GETs, scope okta.agentPools.read); the others get
// 403 E0000006. The option can be given more than once. An empty tok is
// ignored.
func WithReadOnlyAPIToken(tok string) Option {
	return func(s *Server) {
		if tok != "" {
			s.readOnlyTokens = append(s.readOnlyTokens, tok)
		}
	}
}

// WithClock sets the clock that the server reads for rate-limit windows,
// the Date header, the times it stamps on updates, and the OAuth 2.0
// authorization server. A nil now keeps time.Now. Injected delays (see
// Fault) still wait on the real clock.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.now = now
		}
	}
}

// WithLogger makes the server log to logger: each request at Debug, spec
// violations at Warn, start and stop at Info. Credentials are never logged.
// By default the server logs nothing; a nil logger keeps that.
func WithLogger(logger *slog.Logger) Option {
	return func(s *Server) {
		if logger != nil {
			s.logger = logger
		}
	}
}

// WithSampleData loads the sample org of SeedSample when the server is
// created.
func WithSampleData() Option {
	return func(s *Server) {
		s.sampleData = true
	}
}

// WithoutResponseValidation turns off the check of responses against the
// OpenAPI document, so a test can seed data outside the spec, such as an
// enum value that a newer Okta release might send, and see how a client
// decodes it. Requests are still validated.
func WithoutResponseValidation() Option {
	return func(s *Server) {
		s.validateResponses = false
	}
}
