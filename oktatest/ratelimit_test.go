package oktatest_test

import (
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/oktatest"
)

// fakeClock is a clock that tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestRateLimitHeadersByDefault(t *testing.T) {
	clock := &fakeClock{now: time.Date(2025, time.February, 3, 10, 0, 0, 0, time.UTC)}
	srv := oktatest.New(t, oktatest.WithClock(clock.Now))

	resp, _ := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")

	assert.Equal(t, "600", resp.Header.Get("X-Rate-Limit-Limit"))
	assert.Equal(t, "599", resp.Header.Get("X-Rate-Limit-Remaining"))
	assert.Equal(t, strconv.FormatInt(clock.Now().Add(time.Minute).Unix(), 10), resp.Header.Get("X-Rate-Limit-Reset"))
	assert.Equal(t, "Mon, 03 Feb 2025 10:00:00 GMT", resp.Header.Get("Date"), "Date follows the injected clock")
}

func TestRateLimitExceeded(t *testing.T) {
	clock := &fakeClock{now: time.Date(2025, time.February, 3, 10, 0, 0, 0, time.UTC)}
	srv := oktatest.New(t, oktatest.WithSampleData(), oktatest.WithClock(clock.Now))
	srv.SetRateLimit(2, 10*time.Second)
	windowEnd := strconv.FormatInt(clock.Now().Add(10*time.Second).Unix(), 10)

	var remaining []string
	for range 2 {
		resp, _ := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		remaining = append(remaining, resp.Header.Get("X-Rate-Limit-Remaining"))
	}
	assert.Equal(t, []string{"1", "0"}, remaining)

	clock.Advance(3 * time.Second)
	resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")
	requireOktaError(t, resp, body, http.StatusTooManyRequests, "E0000047")
	assert.Equal(t, "2", resp.Header.Get("X-Rate-Limit-Limit"))
	assert.Equal(t, "0", resp.Header.Get("X-Rate-Limit-Remaining"))
	assert.Equal(t, windowEnd, resp.Header.Get("X-Rate-Limit-Reset"))

	pool := samplePool(t, srv, "corp.example.com")
	resp, _ = call(t, srv, http.MethodGet, updatesPath(*pool.Id), "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "another path template is another bucket")

	clock.Advance(7 * time.Second)
	resp, _ = call(t, srv, http.MethodGet, "/api/v1/agentPools", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "a new window starts at the reset time")
	assert.Equal(t, "1", resp.Header.Get("X-Rate-Limit-Remaining"))
}

func TestRateLimitSharedByMethods(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "corp.example.com")
	srv.SetRateLimit(1, time.Hour)

	resp, _ := call(t, srv, http.MethodGet, updatesPath(*pool.Id), "")
	require.Equal(t, http.StatusOK, resp.StatusCode)

	resp, body := call(t, srv, http.MethodPost, updatesPath(*pool.Id), `{"name": "x"}`)
	requireOktaError(t, resp, body, http.StatusTooManyRequests, "E0000047")
	assert.Len(t, srv.Updates(*pool.Id), 2, "a rate-limited create stores nothing")
}

func TestRateLimitOff(t *testing.T) {
	srv := oktatest.New(t)
	srv.SetRateLimit(0, time.Minute)

	for range 5 {
		resp, _ := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Empty(t, resp.Header.Get("X-Rate-Limit-Limit"))
	}
}
