package client

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBackoffNoOverflow(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 60, MaxWait: math.MaxInt64, BaseDelay: 500 * time.Millisecond, MaxDelay: math.MaxInt64}
	require.NoError(t, p.validate())
	for attempt := 1; attempt <= 60; attempt++ {
		require.Positive(t, p.backoff(attempt, halfRandom), "attempt %d", attempt)
	}
}

func TestBackoffNoOverflowEndToEnd(t *testing.T) {
	var n counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.inc()
		writeOktaError(w, 503, "E0000009", "unavailable")
	}))
	defer srv.Close()
	clock := newFakeClock()
	c := newTestClient(t, srv, clock, WithRetry(RetryPolicy{MaxAttempts: 60, MaxWait: math.MaxInt64, MaxDelay: math.MaxInt64}))
	_, err := c.GetUpdate(context.Background(), "p1", "u1")
	require.Error(t, err)
	waits := clock.Waits()
	t.Logf("requests %d, waits %d, last waits %v", n.get(), len(waits), waits[len(waits)-5:])
	for i, w := range waits {
		require.Positive(t, w, "wait %d", i+1)
	}
}

// 429s with a near reset push the attempt number up cheaply; a 5xx after
// that computes an overflowed backoff and retries at once.
func TestBackoffNoOverflowAfterRateLimits(t *testing.T) {
	var n counter
	clock := newFakeClock()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", clock.Now().Format(http.TimeFormat))
		if n.inc() <= 37 {
			w.Header().Set("X-Rate-Limit-Reset", epoch(clock.Now().Add(2*time.Second)))
			writeOktaError(w, 429, "E0000047", "rate")
			return
		}
		writeOktaError(w, 503, "E0000009", "unavailable")
	}))
	defer srv.Close()
	c := newTestClient(t, srv, clock, WithPacing(false), WithRetry(RetryPolicy{MaxAttempts: 50, MaxWait: time.Hour, MaxDelay: math.MaxInt64}))
	_, err := c.GetUpdate(context.Background(), "p1", "u1")
	require.Error(t, err)
	waits := clock.Waits()
	t.Logf("requests %d; waits %d, tail %v; err: %v", n.get(), len(waits), waits[max(0, len(waits)-6):], err)
	for i, w := range waits {
		require.Positive(t, w, "wait %d", i+1)
	}
}
