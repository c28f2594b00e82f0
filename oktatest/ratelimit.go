package oktatest

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Default rate limit of every bucket.
const (
	defaultRateLimit  = 600
	defaultRateWindow = time.Minute
)

// rateLimiter counts requests in fixed windows, one counter per bucket.
// A bucket is an operation's path template, so the GET and POST of one
// path share a bucket. A window starts with the first request after the
// previous window ended.
type rateLimiter struct {
	mu      sync.Mutex
	limit   int // requests per window; 0 turns limiting off
	window  time.Duration
	buckets map[string]*rateBucket
}

type rateBucket struct {
	start time.Time
	count int
}

// rateState is the state of a bucket after a request was counted.
type rateState struct {
	enabled   bool
	allowed   bool
	limit     int
	remaining int
	reset     time.Time // end of the current window
}

func newRateLimiter() *rateLimiter {
	return &rateLimiter{limit: defaultRateLimit, window: defaultRateWindow, buckets: map[string]*rateBucket{}}
}

// take counts one request in bucket at time now.
func (rl *rateLimiter) take(bucket string, now time.Time) rateState {
	rl.mu.Lock()
	defer rl.mu.Unlock()

	if rl.limit <= 0 {
		return rateState{allowed: true}
	}

	b := rl.buckets[bucket]
	if b == nil || !now.Before(b.start.Add(rl.window)) {
		b = &rateBucket{start: now}
		rl.buckets[bucket] = b
	}
	b.count++

	return rateState{
		enabled:   true,
		allowed:   b.count <= rl.limit,
		limit:     rl.limit,
		remaining: max(0, rl.limit-b.count),
		reset:     b.start.Add(rl.window),
	}
}

// setHeaders adds Okta's X-Rate-Limit headers. Reset is the end of the
// window in Unix seconds, rounded up so a client that waits until then
// finds a new window.
func (st rateState) setHeaders(h http.Header) {
	if !st.enabled {
		return
	}
	h.Set("X-Rate-Limit-Limit", strconv.Itoa(st.limit))
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(st.remaining))
	h.Set("X-Rate-Limit-Reset", strconv.FormatInt(unixCeil(st.reset), 10))
}

func unixCeil(t time.Time) int64 {
	sec := t.Unix()
	if t.Nanosecond() > 0 {
		sec++
	}
	return sec
}

// SetRateLimit sets how many requests each bucket allows per window and
// starts every bucket afresh. A bucket is one path template of the API,
// such as /api/v1/agentPools/{poolId}/updates, for all its methods; Okta
// also limits per endpoint, though its buckets are coarser. Windows are
// fixed: one starts with the first request after the previous one ended,
// and is measured with the server's clock (see WithClock).
//
// A request over the limit gets 429 E0000047 with X-Rate-Limit-Remaining 0
// and X-Rate-Limit-Reset at the end of the window. A limit of 0 or less
// turns rate limiting off, and responses then carry no X-Rate-Limit
// headers. A window of 0 or less means one minute. The default is 600
// requests per minute.
func (s *Server) SetRateLimit(limit int, window time.Duration) {
	rl := s.limiter
	rl.mu.Lock()
	defer rl.mu.Unlock()

	if window <= 0 {
		window = defaultRateWindow
	}
	rl.limit = max(limit, 0)
	rl.window = window
	rl.buckets = map[string]*rateBucket{}
}
