package client

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RateLimit holds the X-Rate-Limit-* headers of one response. Okta counts
// requests per endpoint in windows, usually of one minute.
//
// A header may come on several lines or as a comma-separated list. Then
// the most conservative value counts: the smallest Limit and Remaining, and
// the latest Reset. Values that are not non-negative integers are ignored.
type RateLimit struct {
	// Limit is the number of requests allowed in the window, or -1 when
	// the response had no usable X-Rate-Limit-Limit header.
	Limit int64

	// Remaining is the number of requests left in the window, or -1 when
	// the response had no usable X-Rate-Limit-Remaining header.
	Remaining int64

	// Reset is when the window resets, from X-Rate-Limit-Reset in UTC
	// epoch seconds, or zero when the response had no usable header.
	Reset time.Time
}

// maxResetEpoch is the last second of the year 9999. A larger reset value
// is treated as invalid.
const maxResetEpoch = 253402300799

// rateLimitHeaders is the parsed form of the rate-limit headers, with the
// presence of each.
type rateLimitHeaders struct {
	limit, remaining, reset          int64
	hasLimit, hasRemaining, hasReset bool
}

// parseRateLimit reads the X-Rate-Limit-* headers of h.
func parseRateLimit(h http.Header) rateLimitHeaders {
	var r rateLimitHeaders
	r.limit, r.hasLimit = conservativeInt(h.Values("X-Rate-Limit-Limit"), false)
	r.remaining, r.hasRemaining = conservativeInt(h.Values("X-Rate-Limit-Remaining"), false)
	r.reset, r.hasReset = conservativeInt(h.Values("X-Rate-Limit-Reset"), true)
	if r.hasReset && (r.reset == 0 || r.reset > maxResetEpoch) {
		r.reset, r.hasReset = 0, false
	}
	return r
}

// conservativeInt parses every comma-separated element of values as a
// non-negative decimal integer, ignores those that do not parse, and
// returns the largest when largest is true, else the smallest.
func conservativeInt(values []string, largest bool) (int64, bool) {
	var result int64
	found := false
	for _, line := range values {
		for element := range strings.SplitSeq(line, ",") {
			n, err := strconv.ParseInt(strings.TrimSpace(element), 10, 64)
			if err != nil || n < 0 {
				continue
			}
			if !found || (largest && n > result) || (!largest && n < result) {
				result = n
				found = true
			}
		}
	}
	return result, found
}

// public returns r as the exported RateLimit.
func (r rateLimitHeaders) public() RateLimit {
	rl := RateLimit{Limit: -1, Remaining: -1}
	if r.hasLimit {
		rl.Limit = r.limit
	}
	if r.hasRemaining {
		rl.Remaining = r.remaining
	}
	if r.hasReset {
		rl.Reset = time.Unix(r.reset, 0).UTC()
	}
	return rl
}

// untilReset returns the time from the response until the window resets, and
// false when the response has no usable reset. The response's Date header is
// the reference, because the reset is on the server's clock; without a
// valid Date, now is. The result is negative for a reset in the past.
func (r rateLimitHeaders) untilReset(h http.Header, now time.Time) (time.Duration, bool) {
	if !r.hasReset {
		return 0, false
	}

	serverNow := now
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		serverNow = date
	}
	// A reset centuries ahead makes Sub saturate, and adding jitter to that
	// would overflow into a negative wait, so the wait is capped.
	return min(time.Unix(r.reset, 0).Sub(serverNow), maxResetWait), true
}

// maxResetWait caps the wait until a rate-limit reset. Okta's windows last
// a minute, so a longer wait only comes from a broken header, and any
// retry budget shorter than the cap then ends the call at once.
const maxResetWait = 24 * time.Hour

// pacer remembers the endpoints whose rate-limit window is used up, so that
// a Client can wait for the reset instead of getting a 429 response. Okta
// counts requests per endpoint, so the key is the method and the path
// template, such as "GET /api/v1/agentPools/{poolId}/updates".
// A pacer is safe for concurrent use.
type pacer struct {
	mu        sync.Mutex
	exhausted map[string]pacedWindow
}

// pacedWindow is a used-up window: until is the reset on the local clock,
// reset the reset as the server sent it.
type pacedWindow struct {
	until time.Time
	reset time.Time
}

func newPacer() *pacer {
	return &pacer{exhausted: make(map[string]pacedWindow)}
}

// observe records the rate-limit headers of a response from endpoint, which
// arrived at now on the local clock.
func (p *pacer) observe(endpoint string, r rateLimitHeaders, h http.Header, now time.Time) {
	if !r.hasRemaining {
		return
	}

	p.mu.Lock()
	defer p.mu.Unlock()

	d, ok := r.untilReset(h, now)
	if r.remaining > 0 || !ok || d <= 0 {
		delete(p.exhausted, endpoint)
		return
	}
	p.exhausted[endpoint] = pacedWindow{until: now.Add(d), reset: time.Unix(r.reset, 0).UTC()}
}

// delay returns how long a request to endpoint must wait at now for its
// window to reset, and the window. The wait is zero when the window is not
// used up.
func (p *pacer) delay(endpoint string, now time.Time) (time.Duration, pacedWindow) {
	p.mu.Lock()
	defer p.mu.Unlock()

	w, ok := p.exhausted[endpoint]
	if !ok {
		return 0, pacedWindow{}
	}
	if !now.Before(w.until) {
		delete(p.exhausted, endpoint)
		return 0, pacedWindow{}
	}
	return w.until.Sub(now), w
}
