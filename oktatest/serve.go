package oktatest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// maxBodyBytes bounds the request bodies the server reads.
const maxBodyBytes = 1 << 20

// exchange is one request on its way through the server.
type exchange struct {
	http  *http.Request
	now   time.Time
	match routeMatch
	body  []byte

	// input is the validation input of the request, for response
	// validation; nil until the request has been routed to an operation.
	input *openapi3filter.RequestValidationInput
}

// serveHTTP handles every request of the fake org. It routes by the
// escaped path and counts the request against its rate-limit bucket. It
// rejects unknown paths and methods, and a body-less POST without
// Content-Length. It then authenticates, validates the request, applies an
// injected fault and runs the operation. Last, it validates the response,
// records the request and writes the response.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.active.Add(1)
	defer s.active.Done()

	now := s.now()
	requestID := newRequestID()
	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	w.Header().Set("X-Okta-Request-Id", requestID)

	if r.URL.Path == tokenPath {
		s.oauth.serveToken(w, r)
		return
	}

	ex := &exchange{http: r, now: now, match: matchRoute(r.Method, r.URL.EscapedPath())}
	rep, ok := s.respond(ex)
	if ok {
		rep = s.checkResponse(ex, rep)
	}

	// Record before writing, so a client that got the response finds its
	// request in Requests.
	opID := ""
	if ex.match.op != nil {
		opID = ex.match.op.id
	}
	s.recordRequest(Request{
		OperationID: opID,
		Method:      r.Method,
		Path:        r.URL.Path,
		RawQuery:    r.URL.RawQuery,
		Header:      redactHeader(r.Header),
		Body:        ex.body,
		RequestID:   requestID,
		Status:      rep.status,
	})
	s.logger.Debug("oktatest: request", "method", r.Method, "path", r.URL.Path,
		"operation", opID, "status", rep.status, "requestId", requestID)

	if ok {
		writeReply(w, rep)
	}
}

// respond builds the response, or reports false when the client went away
// during an injected delay.
func (s *Server) respond(ex *exchange) (reply, bool) {
	rate := s.limiter.take(ex.match.template, ex.now)
	rep, ok := s.buildReply(ex, rate)
	if ok && rep.header.Get("X-Rate-Limit-Limit") == "" {
		rate.setHeaders(rep.header)
	}
	return rep, ok
}

func (s *Server) buildReply(ex *exchange, rate rateState) (reply, bool) {
	r := ex.http
	m := ex.match

	if !rate.allowed {
		return rateLimitError().reply(), true
	}
	if m.template == "" {
		return notFoundError(r.URL.Path, "Endpoint").reply(), true
	}
	if m.op == nil {
		return methodNotAllowedError(strings.Join(m.allow, ", ")).reply(), true
	}
	if s.specErr != nil {
		s.recordValidationError(s.specErr)
		return internalError().reply(), true
	}

	// NOTE: Okta rejects a POST without a Content-Length header with 411
	// Length Required before the request reaches the API, so a body-less POST must send
	// Content-Length: 0. Go's client does that for a nil or http.NoBody
	// body, and sends an empty io.Reader body chunked, without the header.
	if r.Method == http.MethodPost && !m.op.hasBody && r.ContentLength == -1 {
		return lengthRequiredReply(), true
	}

	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return validationError("body", "body: reading the request body failed: "+err.Error()).reply(), true
	}
	if len(body) > maxBodyBytes {
		return validationError("body", fmt.Sprintf("body: larger than %d bytes", maxBodyBytes)).reply(), true
	}
	ex.body = body
	ex.input = &openapi3filter.RequestValidationInput{Request: r, Route: s.spec.routes[m.op.id]}

	if apiErr := s.authorize(r, m.op); apiErr != nil {
		return apiErr.reply(), true
	}

	req := &apiRequest{
		op:       m.op,
		http:     r,
		poolID:   m.params["poolId"],
		updateID: m.params["updateId"],
		body:     body,
		now:      ex.now,
	}
	input, err := s.validateRequest(r.Context(), req, m.params)
	ex.input = input
	if err != nil {
		s.recordValidationError(fmt.Errorf("oktatest: request %s does not match the OpenAPI document: %w",
			requestLine(r, m.op.id), err))
		return validationError(validationField(err), causeMessages(err)...).reply(), true
	}

	if f, ok := s.faults.next(m.op.id); ok {
		if f.Delay > 0 && !sleep(r.Context(), f.Delay) {
			return reply{}, false
		}
		if f.Status != 0 {
			return faultReply(f, rate, ex.now), true
		}
	}

	return m.op.handle(s, req), true
}

// checkResponse records a failure of the fake and validates the response
// against the OpenAPI document, replacing a response that does not match
// with a 500 error.
func (s *Server) checkResponse(ex *exchange, rep reply) reply {
	if rep.err != nil {
		s.recordValidationError(rep.err)
	}
	if rep.skipValidation || !s.validateResponses || ex.input == nil {
		return rep
	}

	err := s.validateResponse(ex.http.Context(), ex.input, rep)
	if err == nil {
		return rep
	}

	s.recordValidationError(fmt.Errorf("oktatest: response %d to %s does not match the OpenAPI document: %w",
		rep.status, requestLine(ex.http, ex.match.op.id), err))
	replacement := internalError().reply()
	for _, name := range []string{"X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"} {
		if v := rep.header.Get(name); v != "" {
			replacement.header.Set(name, v)
		}
	}
	return replacement
}

// validationField names what a request validation error is about, for the
// errorSummary "Api validation failed: <field>".
func validationField(err error) string {
	// MultiError's As method yields its first match, so this finds the
	// first RequestError of a MultiError as well as a lone one.
	if reqErr, ok := errors.AsType[*openapi3filter.RequestError](err); ok {
		switch {
		case reqErr.Parameter != nil:
			return reqErr.Parameter.Name
		case reqErr.RequestBody != nil:
			return "body"
		}
	}
	return "request"
}

// lengthRequiredReply is the 411 that Okta's front end sends. It is not an
// API response, so it is not validated against the OpenAPI document.
func lengthRequiredReply() reply {
	return reply{
		status:         http.StatusLengthRequired,
		header:         http.Header{"Content-Type": {"text/html; charset=utf-8"}},
		body:           []byte("<html><head><title>411 Length Required</title></head><body><h1>411 Length Required</h1></body></html>\n"),
		skipValidation: true,
	}
}

// sleep waits for d and reports false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()

	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func writeReply(w http.ResponseWriter, rep reply) {
	h := w.Header()
	for name, values := range rep.header {
		h[name] = values
	}

	hasBody := len(rep.body) > 0 && rep.status != http.StatusNoContent && rep.status != http.StatusNotModified
	if hasBody {
		h.Set("Content-Length", strconv.Itoa(len(rep.body)))
	}
	w.WriteHeader(rep.status)
	if hasBody {
		_, _ = w.Write(rep.body) // a failed write means the client went away
	}
}
