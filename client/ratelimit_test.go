package client

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRateLimit(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
		want   RateLimit
	}{
		{
			name:   "all headers",
			header: http.Header{"X-Rate-Limit-Limit": {"600"}, "X-Rate-Limit-Remaining": {"599"}, "X-Rate-Limit-Reset": {"1609459200"}},
			want:   RateLimit{Limit: 600, Remaining: 599, Reset: time.Unix(1609459200, 0).UTC()},
		},
		{
			name:   "none",
			header: http.Header{},
			want:   RateLimit{Limit: -1, Remaining: -1},
		},
		{
			name:   "several lines take the most conservative",
			header: http.Header{"X-Rate-Limit-Limit": {"600", "50"}, "X-Rate-Limit-Remaining": {"10", "3"}, "X-Rate-Limit-Reset": {"1609459200", "1609459260"}},
			want:   RateLimit{Limit: 50, Remaining: 3, Reset: time.Unix(1609459260, 0).UTC()},
		},
		{
			name:   "comma-joined values",
			header: http.Header{"X-Rate-Limit-Remaining": {"7, 0"}, "X-Rate-Limit-Reset": {" 1609459260 ,1609459200"}},
			want:   RateLimit{Limit: -1, Remaining: 0, Reset: time.Unix(1609459260, 0).UTC()},
		},
		{
			name:   "invalid values are ignored",
			header: http.Header{"X-Rate-Limit-Limit": {"-1", "abc"}, "X-Rate-Limit-Remaining": {"1.5", "4"}, "X-Rate-Limit-Reset": {"0"}},
			want:   RateLimit{Limit: -1, Remaining: 4},
		},
		{
			name:   "reset beyond the year 9999 is ignored",
			header: http.Header{"X-Rate-Limit-Reset": {"99999999999999"}},
			want:   RateLimit{Limit: -1, Remaining: -1},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, parseRateLimit(tt.header).public())
		})
	}
}

// pacedServer responds to every request with 200 and the rate-limit headers
// that remaining and reset return for the request number n.
func pacedServer(t *testing.T, headers func(n int, h http.Header)) (*httptest.Server, *counter) {
	t.Helper()

	var calls counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		headers(calls.inc(), w.Header())
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/v1/agentPools" || r.URL.Path == "/api/v1/agentPools/p/updates" {
			_, _ = io.WriteString(w, "[]")
			return
		}
		_, _ = io.WriteString(w, sampleUpdate)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestPacing(t *testing.T) {
	exhausted := func(n int, h http.Header) {
		h.Set("Date", serverDate.Format(http.TimeFormat))
		h.Set("X-Rate-Limit-Limit", "2")
		h.Set("X-Rate-Limit-Remaining", "0")
		h.Set("X-Rate-Limit-Reset", epoch(serverDate.Add(20*time.Second)))
	}

	t.Run("waits for the reset of the same endpoint", func(t *testing.T) {
		srv, calls := pacedServer(t, exhausted)
		clock := newFakeClock()
		c := newTestClient(t, srv, clock)
		ctx := context.Background()

		_, err := c.GetUpdate(ctx, "p", "u1")
		require.NoError(t, err)
		assert.Empty(t, clock.Waits())

		_, err = c.GetUpdate(ctx, "other-pool", "u2")
		require.NoError(t, err)

		assert.Equal(t, 2, calls.get())
		assert.Equal(t, []time.Duration{20*time.Second + 500*time.Millisecond}, clock.Waits())
	})

	t.Run("other endpoints are not delayed", func(t *testing.T) {
		srv, _ := pacedServer(t, exhausted)
		clock := newFakeClock()
		c := newTestClient(t, srv, clock)
		ctx := context.Background()

		_, err := c.GetUpdate(ctx, "p", "u1")
		require.NoError(t, err)
		_, err = c.ListUpdates(ctx, "p", nil)
		require.NoError(t, err)
		_, err = c.PauseUpdate(ctx, "p", "u1")
		require.NoError(t, err)

		assert.Empty(t, clock.Waits())
	})

	t.Run("remaining above zero clears the window", func(t *testing.T) {
		srv, _ := pacedServer(t, func(n int, h http.Header) {
			exhausted(n, h)
			if n == 2 {
				h.Set("X-Rate-Limit-Remaining", "5")
			}
		})
		clock := newFakeClock()
		c := newTestClient(t, srv, clock)
		ctx := context.Background()

		for range 3 {
			_, err := c.GetUpdate(ctx, "p", "u")
			require.NoError(t, err)
		}

		// The second request waits for the first window; the third goes at
		// once, because the second response had requests left.
		assert.Len(t, clock.Waits(), 1)
	})

	t.Run("WithPacing false sends at once", func(t *testing.T) {
		srv, calls := pacedServer(t, exhausted)
		clock := newFakeClock()
		c := newTestClient(t, srv, clock, WithPacing(false))
		ctx := context.Background()

		for range 3 {
			_, err := c.GetUpdate(ctx, "p", "u")
			require.NoError(t, err)
		}

		assert.Equal(t, 3, calls.get())
		assert.Empty(t, clock.Waits())
	})

	t.Run("wait beyond the budget returns a RateLimitError unsent", func(t *testing.T) {
		srv, calls := pacedServer(t, exhausted)
		clock := newFakeClock()
		c := newTestClient(t, srv, clock, WithRetry(RetryPolicy{MaxWait: 10 * time.Second}))
		ctx := context.Background()

		_, err := c.GetUpdate(ctx, "p", "u")
		require.NoError(t, err)
		_, err = c.GetUpdate(ctx, "p", "u")

		var rl *RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, serverDate.Add(20*time.Second), rl.Reset)
		assert.Equal(t, 0, rl.Err.StatusCode)
		assert.Equal(t, 1, calls.get())
		assert.Empty(t, clock.Waits())
		assert.Equal(t, "client: GET /api/v1/agentPools/p/updates/u: not sent (rate limit resets at 2025-03-01T13:00:20Z, 0 attempts, "+
			"the rate limit of the endpoint is used up and the wait of 20.5s would exceed the retry budget of 10s)", err.Error())
	})

	t.Run("pacing beyond the budget states the time waited", func(t *testing.T) {
		var calls counter
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			exhausted(calls.inc(), w.Header())
			writeOktaError(w, http.StatusServiceUnavailable, "E0000009", "Internal Server Error")
		}))
		defer srv.Close()
		clock := newFakeClock()
		c := newTestClient(t, srv, clock, WithRetry(RetryPolicy{MaxWait: 10 * time.Second}))

		// The 503 response is retried after a backoff of 375 ms, and then
		// the pacing wait for the used-up window would exceed the budget.
		_, err := c.GetUpdate(context.Background(), "p", "u")

		var rl *RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, 1, calls.get())
		assert.Equal(t, []time.Duration{375 * time.Millisecond}, clock.Waits())
		assert.Equal(t, "client: GET /api/v1/agentPools/p/updates/u: not sent (rate limit resets at 2025-03-01T13:00:20Z, 1 attempt, "+
			"waited 375ms; the rate limit of the endpoint is used up and the wait of 20.125s would exceed the retry budget of 10s)", err.Error())
	})

	t.Run("cancelled during the pacing wait", func(t *testing.T) {
		srv, calls := pacedServer(t, exhausted)
		clock := newFakeClock()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c := newTestClient(t, srv, clock)

		_, err := c.GetUpdate(ctx, "p", "u")
		require.NoError(t, err)
		clock.onWait = func(time.Duration) { cancel() }
		_, err = c.GetUpdate(ctx, "p", "u")

		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 1, calls.get())
	})
}

func TestPacingConcurrent(t *testing.T) {
	srv, calls := pacedServer(t, func(n int, h http.Header) {
		h.Set("Date", serverDate.Format(http.TimeFormat))
		h.Set("X-Rate-Limit-Remaining", "0")
		h.Set("X-Rate-Limit-Reset", epoch(serverDate.Add(time.Second)))
	})
	c := newTestClient(t, srv, newFakeClock())

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 5 {
				_, err := c.GetUpdate(context.Background(), "p", "u")
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()

	assert.Equal(t, 40, calls.get())
}
