package oktatest

import (
	"fmt"
	"strings"
	"testing"
)

// New starts a fake org for a test and closes it when the test ends. At
// that point it fails the test, listing them, if any request or response
// did not match the OpenAPI document (see ValidationErrors).
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()

	s := NewServer(opts...)
	t.Cleanup(func() {
		s.Close()

		errs := s.ValidationErrors()
		if len(errs) == 0 {
			return
		}
		var b strings.Builder
		for i, err := range errs {
			fmt.Fprintf(&b, "\n%d. %v", i+1, err)
		}
		t.Errorf("oktatest: %d request(s) or response(s) did not match the OpenAPI document:%s", len(errs), b.String())
	})
	return s
}
