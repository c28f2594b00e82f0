package oktatest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	agentpools "github.com/seed570a29ac/agentpools"
)

// spec is the loaded OpenAPI document with a route for each operation.
type spec struct {
	doc    *openapi3.T
	routes map[string]*routers.Route // by operationId
}

// embeddedSpec loads agentpools.OpenAPI once for all servers; validation
// only reads the document, so servers share it.
var embeddedSpec = sync.OnceValues(func() (*spec, error) {
	return loadSpec(agentpools.OpenAPI)
})

// loadSpec parses and validates an OpenAPI document and checks that its
// operations are exactly the ones the fake serves, at the same paths and
// methods.
//
// The routes are built from the fake's own routing table rather than by a
// kin-openapi router, because those routers match the decoded path, where
// an ID with an escaped "/" splits into two segments.
func loadSpec(data []byte) (*spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("oktatest: parsing the OpenAPI document failed: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("oktatest: the OpenAPI document is invalid: %w", err)
	}

	routes := make(map[string]*routers.Route, len(operations))
	for _, op := range operations {
		item := doc.Paths.Value(op.template)
		if item == nil {
			return nil, fmt.Errorf("oktatest: the OpenAPI document has no path %s for operation %s", op.template, op.id)
		}
		specOp := item.GetOperation(op.method)
		if specOp == nil || specOp.OperationID != op.id {
			return nil, fmt.Errorf("oktatest: the OpenAPI document has no operation %s at %s %s", op.id, op.method, op.template)
		}
		routes[op.id] = &routers.Route{Spec: doc, Path: op.template, PathItem: item, Method: op.method, Operation: specOp}
	}

	for path, item := range doc.Paths.Map() {
		for method, specOp := range item.Operations() {
			if operationsByID[specOp.OperationID] == nil {
				return nil, fmt.Errorf("oktatest: the fake does not serve operation %q (%s %s) of the OpenAPI document", specOp.OperationID, method, path)
			}
		}
	}
	return &spec{doc: doc, routes: routes}, nil
}

// requestOptions are the options of request validation. The fake checks
// credentials itself, accepts read-only members (Okta ignores them), and
// sets no defaults so that handlers see the request as sent. rejectBody
// rejects a request body; set it only for operations without one, because
// kin-openapi v0.142.0 applies it even where the spec defines a body.
func requestOptions(rejectBody bool) *openapi3filter.Options {
	opts := &openapi3filter.Options{
		AuthenticationFunc:                openapi3filter.NoopAuthenticationFunc,
		ExcludeReadOnlyValidations:        true,
		RejectWhenRequestBodyNotSpecified: rejectBody,
		SkipSettingDefaults:               true,
		MultiError:                        true,
	}
	opts.WithCustomSchemaErrorFunc(schemaErrorMessage)
	return opts
}

func responseOptions() *openapi3filter.Options {
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
	opts.WithCustomSchemaErrorFunc(schemaErrorMessage)
	return opts
}

// schemaErrorMessage shortens kin-openapi's schema errors, which otherwise
// print the whole schema, to the JSON pointer of the value and the reason.
func schemaErrorMessage(err *openapi3.SchemaError) string {
	pointer := err.JSONPointer()
	if len(pointer) == 0 {
		return err.Reason
	}
	return "/" + strings.Join(pointer, "/") + ": " + err.Reason
}

// validateRequest checks a request against the operation in the OpenAPI
// document. It returns the validation input, which response validation
// needs, and the validation error or nil.
func (s *Server) validateRequest(ctx context.Context, req *apiRequest, params map[string]string) (*openapi3filter.RequestValidationInput, error) {
	route := s.spec.routes[req.op.id]

	clone := req.http.Clone(ctx)
	clone.Body = io.NopCloser(bytes.NewReader(req.body))
	clone.ContentLength = int64(len(req.body))
	clone.GetBody = nil

	opts := s.bodilessRequestOptions
	if req.op.hasBody {
		opts = s.requestOptions
	}
	input := &openapi3filter.RequestValidationInput{
		Request:    clone,
		PathParams: params,
		Route:      route,
		Options:    opts,
	}
	return input, openapi3filter.ValidateRequest(ctx, input)
}

// validateResponse checks a built response against the operation in the
// OpenAPI document.
func (s *Server) validateResponse(ctx context.Context, input *openapi3filter.RequestValidationInput, rep reply) error {
	return openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 rep.status,
		Header:                 rep.header,
		Body:                   io.NopCloser(bytes.NewReader(rep.body)),
		Options:                s.responseOptions,
	})
}

// causeMessages splits a kin-openapi validation error into one message per
// problem, for the errorCauses of a 400 response.
//
//nolint:errorlint // walks the tree one level at a time; errors.As would split errors nested deeper
func causeMessages(err error) []string {
	switch e := err.(type) {
	case openapi3.MultiError:
		var out []string
		for _, inner := range e {
			out = append(out, causeMessages(inner)...)
		}
		return out
	case *openapi3filter.RequestError:
		if multi, ok := e.Err.(openapi3.MultiError); ok && len(multi) > 0 {
			var out []string
			for _, inner := range multi {
				single := *e
				single.Err = inner
				out = append(out, single.Error())
			}
			return out
		}
	case *openapi3filter.ResponseError:
		if multi, ok := e.Err.(openapi3.MultiError); ok && len(multi) > 0 {
			var out []string
			for _, inner := range multi {
				single := *e
				single.Err = inner
				out = append(out, single.Error())
			}
			return out
		}
	}
	return []string{err.Error()}
}

// recordValidationError stores err for ValidationErrors and logs it.
func (s *Server) recordValidationError(err error) {
	s.validationMu.Lock()
	s.validationErrors = append(s.validationErrors, err)
	s.validationMu.Unlock()

	s.logger.Warn("oktatest: traffic does not match the OpenAPI document", "error", err)
}

// ValidationErrors returns the requests and responses that did not match
// the OpenAPI document, in the order they happened, and any failure of the
// fake itself, such as a seeded value that cannot be encoded as JSON.
//
// A request error means the client sent something the spec does not
// allow, and the client got a 400 E0000001 response. A response error
// means the fake built a response the spec does not allow, usually from
// seeded data outside the spec's enums, so the client got a 500 E0000009
// response instead.
// Errors wrap the kin-openapi error, so errors.As finds
// *openapi3filter.RequestError and *openapi3filter.ResponseError.
func (s *Server) ValidationErrors() []error {
	s.validationMu.Lock()
	defer s.validationMu.Unlock()
	return slices.Clone(s.validationErrors)
}

// ResetValidationErrors deletes the errors that ValidationErrors returns,
// for a test that breaks the spec on purpose and then goes on.
func (s *Server) ResetValidationErrors() {
	s.validationMu.Lock()
	defer s.validationMu.Unlock()
	s.validationErrors = nil
}

// requestLine names a request in validation errors: method, decoded path
// and operation.
func requestLine(r *http.Request, opID string) string {
	return fmt.Sprintf("%s %s (%s)", r.Method, r.URL.Path, opID)
}
