package client

import "time"

// rateLimitJitter is the largest random delay added to a wait for a
// rate-limit reset, so that clients waiting for the same reset do not all
// send at the same instant.
const rateLimitJitter = time.Second

// backoff returns the wait before the attempt after attempt number attempt
// (1 for the first), when the response gives no reset time: BaseDelay doubled
// for each attempt after the first, capped at MaxDelay. Half of it is
// random ("equal jitter"), so the wait is never shorter than half the
// capped delay and never zero.
func (p RetryPolicy) backoff(attempt int, random func() float64) time.Duration {
	d := p.BaseDelay
	for i := 1; i < attempt && d < p.MaxDelay; i++ {
		if d > p.MaxDelay/2 {
			d = p.MaxDelay // doubling would pass the cap, or overflow a huge one
			break
		}
		d *= 2
	}
	d = min(d, p.MaxDelay)

	half := d / 2
	return half + time.Duration(random()*float64(d-half))
}

// jitter returns a random duration in [0, limit).
func jitter(limit time.Duration, random func() float64) time.Duration {
	return time.Duration(random() * float64(limit))
}
