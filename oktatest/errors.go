package oktatest

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/seed570a29ac/agentpools/api"
)

// Okta error codes that the fake sends.
const (
	codeValidation       = "E0000001" // Api validation failed
	codeForbidden        = "E0000006" // no permission for the action
	codeNotFound         = "E0000007" // resource not found
	codeInternal         = "E0000009" // internal server error
	codeInvalidToken     = "E0000011" // invalid token provided
	codeMethodNotAllowed = "E0000022" // HTTP method not supported
	codeRateLimit        = "E0000047" // rate limit exceeded
)

// apiError is an Okta error object with the status and headers it is sent
// with.
type apiError struct {
	status  int
	code    string
	summary string
	causes  []string
	header  http.Header
}

func validationError(field string, causes ...string) *apiError {
	return &apiError{
		status:  http.StatusBadRequest,
		code:    codeValidation,
		summary: "Api validation failed: " + field,
		causes:  causes,
	}
}

func notFoundError(id, kind string) *apiError {
	return &apiError{
		status:  http.StatusNotFound,
		code:    codeNotFound,
		summary: fmt.Sprintf("Not found: Resource not found: %s (%s)", id, kind),
	}
}

func invalidTokenError() *apiError {
	return &apiError{status: http.StatusUnauthorized, code: codeInvalidToken, summary: "Invalid token provided"}
}

func forbiddenError() *apiError {
	return &apiError{
		status:  http.StatusForbidden,
		code:    codeForbidden,
		summary: "You do not have permission to perform the requested action",
	}
}

func rateLimitError() *apiError {
	return &apiError{
		status:  http.StatusTooManyRequests,
		code:    codeRateLimit,
		summary: "API call exceeded rate limit due to too many requests.",
	}
}

func internalError() *apiError {
	return &apiError{status: http.StatusInternalServerError, code: codeInternal, summary: "Internal Server Error"}
}

func methodNotAllowedError(allow string) *apiError {
	return &apiError{
		status:  http.StatusMethodNotAllowed,
		code:    codeMethodNotAllowed,
		summary: "The endpoint does not support the provided HTTP method",
		header:  http.Header{"Allow": {allow}},
	}
}

// errorForStatus returns the Okta error object that the fake sends for an
// injected fault with this status and no body.
func errorForStatus(status int) *apiError {
	switch status {
	case http.StatusBadRequest:
		return validationError("request")
	case http.StatusUnauthorized:
		return invalidTokenError()
	case http.StatusForbidden:
		return forbiddenError()
	case http.StatusNotFound:
		return &apiError{status: status, code: codeNotFound, summary: "Not found: Resource not found"}
	case http.StatusTooManyRequests:
		return rateLimitError()
	default:
		return &apiError{status: status, code: codeInternal, summary: http.StatusText(status)}
	}
}

// reply returns the error as a response.
func (e *apiError) reply() reply {
	// NOTE: Okta responds to a bad DPoP proof with an empty body and the reason
	// in WWW-Authenticate, which the spec's error responses cannot express.
	if e.code == "" {
		r := reply{status: e.status, header: http.Header{}, skipValidation: true}
		for name, values := range e.header {
			r.header[name] = append([]string(nil), values...)
		}
		return r
	}

	causes := make([]api.ErrorCause, len(e.causes))
	for i, c := range e.causes {
		causes[i] = api.ErrorCause{ErrorSummary: ptr(c)}
	}
	body := api.Error{
		ErrorCode:    ptr(e.code),
		ErrorSummary: ptr(e.summary),
		ErrorLink:    ptr(e.code),
		ErrorId:      ptr(newErrorID()),
		ErrorCauses:  &causes,
	}

	r := jsonReply(e.status, body)
	for name, values := range e.header {
		r.header[name] = append([]string(nil), values...)
	}
	return r
}

// reply is a response built before it is validated and written.
type reply struct {
	status int
	header http.Header
	body   []byte

	// skipValidation marks a response that must reach the client as built,
	// such as an injected fault, so response validation leaves it alone.
	skipValidation bool

	// err is a failure of the fake itself, recorded as a validation error.
	err error
}

// jsonReply returns v encoded as JSON with the given status. When v cannot
// be encoded, which happens only for seeded extra members that are not
// valid JSON, it returns a 500 error object and the cause in err.
func jsonReply(status int, v any) reply {
	body, err := json.Marshal(v)
	if err != nil {
		r := internalError().reply()
		r.err = fmt.Errorf("oktatest: encoding the %d response failed: %w", status, err)
		return r
	}
	return reply{
		status: status,
		header: http.Header{"Content-Type": {"application/json"}},
		body:   body,
	}
}

// emptyReply returns a response without a body, such as 204 No Content.
func emptyReply(status int) reply {
	return reply{status: status, header: http.Header{}}
}
