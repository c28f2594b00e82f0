package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serverDate is the Date the test servers send. The fake clock runs an
// hour behind it, so a wait computed from the clock would be wrong.
var serverDate = time.Date(2025, 3, 1, 13, 0, 0, 0, time.UTC)

func TestRateLimitWaits(t *testing.T) {
	tests := []struct {
		name    string
		headers func(h http.Header)
		want    time.Duration
	}{
		{
			name: "reset ahead measured from Date",
			headers: func(h http.Header) {
				h.Set("Date", serverDate.Format(http.TimeFormat))
				h.Set("X-Rate-Limit-Reset", epoch(serverDate.Add(30*time.Second)))
			},
			want: 30*time.Second + 500*time.Millisecond,
		},
		{
			name: "reset on several header lines",
			headers: func(h http.Header) {
				h.Set("Date", serverDate.Format(http.TimeFormat))
				h.Add("X-Rate-Limit-Reset", epoch(serverDate.Add(10*time.Second)))
				h.Add("X-Rate-Limit-Reset", epoch(serverDate.Add(40*time.Second)))
			},
			want: 40*time.Second + 500*time.Millisecond,
		},
		{
			name: "reset values joined by commas",
			headers: func(h http.Header) {
				h.Set("Date", serverDate.Format(http.TimeFormat))
				h.Set("X-Rate-Limit-Reset", epoch(serverDate.Add(50*time.Second))+", "+epoch(serverDate.Add(5*time.Second)))
			},
			want: 50*time.Second + 500*time.Millisecond,
		},
		{
			name: "no rate-limit headers backs off",
			headers: func(h http.Header) {
				h.Set("Date", serverDate.Format(http.TimeFormat))
			},
			want: 375 * time.Millisecond, // BaseDelay 500 ms, half of it jittered at 0.5
		},
		{
			name: "reset in the past backs off",
			headers: func(h http.Header) {
				h.Set("Date", serverDate.Format(http.TimeFormat))
				h.Set("X-Rate-Limit-Reset", epoch(serverDate.Add(-time.Minute)))
			},
			want: 375 * time.Millisecond,
		},
		{
			name: "unparsable reset backs off",
			headers: func(h http.Header) {
				h.Set("Date", serverDate.Format(http.TimeFormat))
				h.Set("X-Rate-Limit-Reset", "soon")
			},
			want: 375 * time.Millisecond,
		},
		{
			name: "missing Date falls back to the clock",
			headers: func(h http.Header) {
				h["Date"] = nil // suppresses the Date header of net/http
				h.Set("X-Rate-Limit-Reset", epoch(newFakeClock().Now().Add(20*time.Second)))
			},
			want: 20*time.Second + 500*time.Millisecond,
		},
		{
			name: "unparsable Date falls back to the clock",
			headers: func(h http.Header) {
				h.Set("Date", "yesterday")
				h.Set("X-Rate-Limit-Reset", epoch(newFakeClock().Now().Add(15*time.Second)))
			},
			want: 15*time.Second + 500*time.Millisecond,
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls counter
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if calls.inc() == 1 {
					tt.headers(w.Header())
					writeOktaError(w, http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.")
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, sampleUpdate)
			}))
			defer srv.Close()
			clock := newFakeClock()
			c := newTestClient(t, srv, clock, WithPacing(false))

			u, err := c.GetUpdate(context.Background(), "pool1", "upd1")

			require.NoError(t, err)
			assert.Equal(t, "upd1", *u.Id)
			assert.Equal(t, 2, calls.get())
			assert.Equal(t, []time.Duration{tt.want}, clock.Waits())
		})
	}
}

func TestBackoffGrowsAndCaps(t *testing.T) {
	p := RetryPolicy{BaseDelay: time.Second, MaxDelay: 5 * time.Second}.withDefaults()

	got := []time.Duration{}
	for attempt := 1; attempt <= 5; attempt++ {
		got = append(got, p.backoff(attempt, func() float64 { return 0 }))
	}

	assert.Equal(t, []time.Duration{
		500 * time.Millisecond, time.Second, 2 * time.Second, 2500 * time.Millisecond, 2500 * time.Millisecond,
	}, got)
	assert.InDelta(t, float64(5*time.Second), float64(p.backoff(9, func() float64 { return 0.999999 })), float64(10*time.Microsecond))
}

func TestRetriesExhaustedMessage(t *testing.T) {
	var calls counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.inc()
		w.Header().Set("Date", serverDate.Format(http.TimeFormat))
		w.Header().Set("X-Rate-Limit-Limit", "100")
		w.Header().Set("X-Rate-Limit-Remaining", "0")
		w.Header().Set("X-Rate-Limit-Reset", epoch(serverDate.Add(2*time.Second)))
		w.Header().Set("X-Okta-Request-Id", "req-429")
		writeOktaError(w, http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.")
	}))
	defer srv.Close()
	clock := newFakeClock()
	c := newTestClient(t, srv, clock)

	_, err := c.GetSettings(context.Background(), "pool1")

	require.Error(t, err)
	assert.Equal(t, 4, calls.get())
	var rl *RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, serverDate.Add(2*time.Second), rl.Reset)
	assert.True(t, IsRateLimited(err))
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusTooManyRequests, apiErr.StatusCode)
	assert.Equal(t, "E0000047", apiErr.Code)
	assert.Equal(t, "req-429", apiErr.RequestID)
	assert.Equal(t, 4, apiErr.Attempts)
	assert.Equal(t, RateLimit{Limit: 100, Remaining: 0, Reset: serverDate.Add(2 * time.Second)}, apiErr.RateLimit)
	assert.Equal(t, "client: GET /api/v1/agentPools/pool1/updates/settings: 429 E0000047 API call exceeded rate limit due to too many requests. "+
		"(rate limit resets at 2025-03-01T13:00:02Z, request id req-429, 4 attempts, attempt limit of 4 reached)", err.Error())
	assert.Len(t, clock.Waits(), 3)
}

func TestRateLimitBeyondRetryBudget(t *testing.T) {
	var calls counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.inc()
		w.Header().Set("Date", serverDate.Format(http.TimeFormat))
		w.Header().Set("X-Rate-Limit-Reset", epoch(serverDate.Add(10*time.Minute)))
		writeOktaError(w, http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.")
	}))
	defer srv.Close()
	clock := newFakeClock()
	c := newTestClient(t, srv, clock, WithRetry(RetryPolicy{MaxWait: time.Minute}))

	_, err := c.GetSettings(context.Background(), "pool1")

	var rl *RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, 1, calls.get())
	assert.Empty(t, clock.Waits(), "the client must not wait when the reset is beyond the budget")
	assert.Contains(t, err.Error(), "(rate limit resets at 2025-03-01T13:10:00Z, 1 attempt, the next wait of 10m0.5s would exceed the retry budget of 1m0s)")
}

func TestRetryBudgetMessageCountsWaited(t *testing.T) {
	var calls counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.inc()
		w.Header().Set("Date", serverDate.Format(http.TimeFormat))
		w.Header().Set("X-Rate-Limit-Limit", "100")
		w.Header().Set("X-Rate-Limit-Remaining", "0")
		w.Header().Set("X-Rate-Limit-Reset", epoch(serverDate.Add(70*time.Second)))
		writeOktaError(w, http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.")
	}))
	defer srv.Close()
	clock := newFakeClock()
	c := newTestClient(t, srv, clock)
	ctx := context.Background()

	// The first call waits 70.5 s for the reset and retries once; a second
	// wait would bring the total to 141 s, over the default budget of 120 s.
	_, err := c.GetSettings(ctx, "pool1")

	require.Error(t, err)
	assert.Equal(t, 2, calls.get())
	assert.Equal(t, []time.Duration{70500 * time.Millisecond}, clock.Waits())
	assert.Contains(t, err.Error(), "(rate limit resets at 2025-03-01T13:01:10Z, 2 attempts, "+
		"waited 1m10.5s; the next wait of 1m10.5s would exceed the retry budget of 2m0s)")

	// The second call first waits for pacing, then stops after one attempt.
	_, err = c.GetSettings(ctx, "pool1")

	require.Error(t, err)
	assert.Equal(t, 3, calls.get())
	assert.Len(t, clock.Waits(), 2)
	assert.Contains(t, err.Error(), "(rate limit resets at 2025-03-01T13:01:10Z, 1 attempt, "+
		"waited 1m10.5s; the next wait of 1m10.5s would exceed the retry budget of 2m0s)")
}

func TestServerErrorRetries(t *testing.T) {
	tests := []struct {
		name      string
		call      func(c *Client) error
		wantCalls int
	}{
		{"GET is retried", func(c *Client) error { _, err := c.GetUpdate(context.Background(), "p", "u"); return err }, 3},
		{"DELETE is retried", func(c *Client) error { return c.DeleteUpdate(context.Background(), "p", "u") }, 3},
		{"pause is retried", func(c *Client) error { _, err := c.PauseUpdate(context.Background(), "p", "u"); return err }, 3},
		{"stop is retried", func(c *Client) error { _, err := c.StopUpdate(context.Background(), "p", "u"); return err }, 3},
		{"create is not retried", func(c *Client) error {
			_, err := c.CreateUpdate(context.Background(), "p", sampleUpdateModel(t))
			return err
		}, 1},
		{"edit is not retried", func(c *Client) error {
			_, err := c.EditUpdate(context.Background(), "p", "u", sampleUpdateModel(t))
			return err
		}, 1},
		{"retry action is not retried", func(c *Client) error { _, err := c.RetryUpdate(context.Background(), "p", "u"); return err }, 1},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls counter
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if calls.inc() < 3 {
					writeOktaError(w, http.StatusServiceUnavailable, "E0000009", "Internal Server Error")
					return
				}
				if r.Method == http.MethodDelete {
					w.WriteHeader(http.StatusNoContent)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, sampleUpdate)
			}))
			defer srv.Close()
			clock := newFakeClock()
			c := newTestClient(t, srv, clock)

			err := tt.call(c)

			assert.Equal(t, tt.wantCalls, calls.get())
			if tt.wantCalls == 1 {
				var apiErr *Error
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
				assert.Equal(t, 1, apiErr.Attempts)
				assert.Contains(t, err.Error(), "not retried because repeating the request could apply it twice")
				assert.Empty(t, clock.Waits())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, []time.Duration{375 * time.Millisecond, 750 * time.Millisecond}, clock.Waits())
		})
	}
}

func TestRateLimitRetriesEveryOperation(t *testing.T) {
	var calls counter
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		if calls.inc() == 1 {
			writeOktaError(w, http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, sampleUpdate)
	}))
	defer srv.Close()
	c := newTestClient(t, srv, newFakeClock())

	_, err := c.CreateUpdate(context.Background(), "p", sampleUpdateModel(t))

	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, bodies, 2)
	assert.NotEmpty(t, bodies[0])
	assert.Equal(t, bodies[0], bodies[1], "every attempt must send the same body")
}

func TestNetworkErrorRetries(t *testing.T) {
	var calls counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.inc() == 1 {
			// Close the connection without a response.
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, sampleUpdate)
	}))
	defer srv.Close()

	t.Run("GET is retried", func(t *testing.T) {
		calls.reset()
		c := newTestClient(t, srv, newFakeClock())

		_, err := c.GetUpdate(context.Background(), "p", "u")

		require.NoError(t, err)
		assert.Equal(t, 2, calls.get())
	})

	t.Run("create is not retried", func(t *testing.T) {
		calls.reset()
		c := newTestClient(t, srv, newFakeClock())

		_, err := c.CreateUpdate(context.Background(), "p", sampleUpdateModel(t))

		require.Error(t, err)
		assert.Equal(t, 1, calls.get())
		assert.True(t, strings.HasPrefix(err.Error(), "client: POST /api/v1/agentPools/p/updates: "), err.Error())
		assert.Contains(t, err.Error(), "(1 attempt, not retried because repeating the request could apply it twice)")
	})
}

func TestContextCanceledBeforeRequest(t *testing.T) {
	var calls counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.inc() }))
	defer srv.Close()
	c := newTestClient(t, srv, newFakeClock())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	_, err := c.GetUpdate(ctx, "p", "u")

	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 0, calls.get())
}

func TestContextCanceledDuringWait(t *testing.T) {
	var calls counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.inc()
		w.Header().Set("Date", serverDate.Format(http.TimeFormat))
		w.Header().Set("X-Rate-Limit-Reset", epoch(serverDate.Add(30*time.Minute)))
		writeOktaError(w, http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.")
	}))
	defer srv.Close()

	t.Run("fake clock", func(t *testing.T) {
		calls.reset()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		clock := newFakeClock()
		clock.onWait = func(time.Duration) { cancel() }
		c := newTestClient(t, srv, clock, WithRetry(RetryPolicy{MaxWait: time.Hour}))

		_, err := c.GetUpdate(ctx, "p", "u")

		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 1, calls.get())
	})

	t.Run("system clock", func(t *testing.T) {
		calls.reset()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c, err := New(srv.URL, WithCredentials(testCredentials()), WithRetry(RetryPolicy{MaxWait: time.Hour}))
		require.NoError(t, err)
		time.AfterFunc(50*time.Millisecond, cancel)

		start := time.Now()
		_, err = c.GetUpdate(ctx, "p", "u")

		assert.ErrorIs(t, err, context.Canceled)
		assert.Less(t, time.Since(start), 5*time.Second, "a cancelled wait must end promptly")
		assert.Equal(t, 1, calls.get())
	})
}

func TestErrorsIsNotCanceledForAPIErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeOktaError(w, http.StatusNotFound, "E0000007", "Not found: Resource not found")
	}))
	defer srv.Close()
	c := newTestClient(t, srv, newFakeClock())

	_, err := c.GetUpdate(context.Background(), "p", "u")

	assert.False(t, errors.Is(err, context.Canceled))
	assert.True(t, IsNotFound(err))
}
