package oktatest

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is a deliberate misbehaviour of one operation, for testing how a
// client copes with errors, slow responses and malformed bodies.
type Fault struct {
	// Status is the HTTP status of the response. Zero handles the request
	// normally after Delay.
	Status int

	// Header holds headers to send, replacing the fake's value for the same
	// name, such as a Retry-After or a Content-Type for an HTML Body.
	Header http.Header

	// Body is sent as is, so it may be HTML or malformed JSON, with
	// Content-Type application/json unless Header sets another. A nil Body
	// with a Status of 400 or more sends an Okta error object that suits
	// the status, such as E0000047 for 429 and E0000009 for 5xx.
	Body []byte

	// Delay is how long the server waits before it responds, on the real
	// clock rather than the one of WithClock. The wait ends early when the
	// client gives up the request, and then nothing is written.
	Delay time.Duration

	// Times is how many requests the fault applies to; 0 applies it to
	// every request until ClearFaults.
	Times int

	// RateLimitReset, when set, is sent as X-Rate-Limit-Reset. A 429 fault
	// without it sends the end of the current rate-limit window.
	RateLimitReset time.Time
}

// faultQueue holds the injected faults of each operation in the order they
// were injected. The first one applies until its Times are used up.
type faultQueue struct {
	mu   sync.Mutex
	byOp map[string][]*injectedFault
}

type injectedFault struct {
	fault Fault
	left  int // remaining uses; 0 means unlimited
}

func newFaultQueue() *faultQueue {
	return &faultQueue{byOp: map[string][]*injectedFault{}}
}

// next returns the fault for one request of the operation and counts the
// use, or false when none is injected.
func (fq *faultQueue) next(opID string) (Fault, bool) {
	fq.mu.Lock()
	defer fq.mu.Unlock()

	queue := fq.byOp[opID]
	if len(queue) == 0 {
		return Fault{}, false
	}

	first := queue[0]
	if first.left > 0 {
		first.left--
		if first.left == 0 {
			fq.byOp[opID] = queue[1:]
		}
	}
	return first.fault, true
}

// InjectFault makes the operation with ID operationID (the spec's
// operationId, such as "listAgentPools") misbehave as f describes. Faults
// of one operation queue up: the first applies until its Times are used
// up, then the next. A fault applies after the request passed rate
// limiting, authentication and request validation, and its response skips
// response validation, so a malformed Body reaches the client as given.
//
// InjectFault returns an error for an unknown operationID, a Status
// outside 200-599, or a negative Times or Delay.
func (s *Server) InjectFault(operationID string, f Fault) error {
	if operationsByID[operationID] == nil {
		ids := make([]string, 0, len(operations))
		for _, op := range operations {
			ids = append(ids, op.id)
		}
		return fmt.Errorf("oktatest: unknown operation %q; use an operationId of the spec: %s", operationID, strings.Join(ids, ", "))
	}
	if f.Status != 0 && (f.Status < 200 || f.Status > 599) {
		return fmt.Errorf("oktatest: fault status %d is not a final HTTP status; use 200-599, or 0 for a delay only", f.Status)
	}
	if f.Times < 0 || f.Delay < 0 {
		return fmt.Errorf("oktatest: fault Times %d and Delay %s must not be negative", f.Times, f.Delay)
	}

	stored := f
	stored.Header = f.Header.Clone()
	stored.Body = bytes.Clone(f.Body)

	fq := s.faults
	fq.mu.Lock()
	defer fq.mu.Unlock()
	fq.byOp[operationID] = append(fq.byOp[operationID], &injectedFault{fault: stored, left: f.Times})
	return nil
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	fq := s.faults
	fq.mu.Lock()
	defer fq.mu.Unlock()
	fq.byOp = map[string][]*injectedFault{}
}

// faultReply builds the response of a fault with a Status.
func faultReply(f Fault, rate rateState, now time.Time) reply {
	var rep reply
	switch {
	case f.Body != nil:
		rep = reply{status: f.Status, header: http.Header{"Content-Type": {"application/json"}}, body: slices.Clone(f.Body)}
	case f.Status >= 400:
		rep = errorForStatus(f.Status).reply()
	default:
		rep = emptyReply(f.Status)
	}
	rep.skipValidation = true

	rate.setHeaders(rep.header)
	if f.Status == http.StatusTooManyRequests {
		reset := rate.reset
		if !rate.enabled {
			reset = now.Add(defaultRateWindow)
		}
		limit := rate.limit
		if !rate.enabled {
			limit = defaultRateLimit
		}
		rep.header.Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
		rep.header.Set("X-Rate-Limit-Remaining", "0")
		rep.header.Set("X-Rate-Limit-Reset", strconv.FormatInt(unixCeil(reset), 10))
	}
	if !f.RateLimitReset.IsZero() {
		rep.header.Set("X-Rate-Limit-Reset", strconv.FormatInt(unixCeil(f.RateLimitReset), 10))
	}

	for name, values := range f.Header {
		rep.header[http.CanonicalHeaderKey(name)] = slices.Clone(values)
	}
	return rep
}
