package client

import (
	"fmt"
	"time"
)

// Defaults of RetryPolicy.
const (
	DefaultMaxAttempts = 4
	DefaultMaxWait     = 2 * time.Minute
	DefaultBaseDelay   = 500 * time.Millisecond
	DefaultMaxDelay    = 30 * time.Second
)

// RetryPolicy sets how a Client retries a request. A zero field takes its
// default.
//
// A 429 Too Many Requests response is always retried, because Okta did not
// process the request. The wait lasts until the X-Rate-Limit-Reset time
// plus up to one second of jitter. When that header is missing or in the
// past, the wait is a backoff. Responses 500, 502, 503 and 504 and network errors
// are retried with backoff only for requests that are safe to repeat, which
// each method's doc comment states.
type RetryPolicy struct {
	// MaxAttempts is the largest number of times one request is sent, the
	// first included. Default DefaultMaxAttempts (4); 1 turns retries off.
	MaxAttempts int

	// MaxWait caps the total time one call spends waiting between attempts
	// and for pacing. When the next wait would exceed what is left, the
	// Client returns the last error at once instead of waiting. Default
	// DefaultMaxWait (2 minutes).
	MaxWait time.Duration

	// BaseDelay is the backoff before the second attempt; it doubles for
	// each further attempt. Default DefaultBaseDelay (500 ms).
	BaseDelay time.Duration

	// MaxDelay caps one backoff. Default DefaultMaxDelay (30 s).
	MaxDelay time.Duration
}

// validate rejects negative fields and a MaxDelay below BaseDelay.
func (p RetryPolicy) validate() error {
	switch {
	case p.MaxAttempts < 0:
		return fmt.Errorf("client: RetryPolicy.MaxAttempts is %d; pass 1 to turn retries off, or 0 for the default of %d", p.MaxAttempts, DefaultMaxAttempts)
	case p.MaxWait < 0:
		return fmt.Errorf("client: RetryPolicy.MaxWait is %s; pass a positive duration, or 0 for the default of %s", p.MaxWait, DefaultMaxWait)
	case p.BaseDelay < 0:
		return fmt.Errorf("client: RetryPolicy.BaseDelay is %s; pass a positive duration, or 0 for the default of %s", p.BaseDelay, DefaultBaseDelay)
	case p.MaxDelay < 0:
		return fmt.Errorf("client: RetryPolicy.MaxDelay is %s; pass a positive duration, or 0 for the default of %s", p.MaxDelay, DefaultMaxDelay)
	}

	full := p.withDefaults()
	if full.MaxDelay < full.BaseDelay {
		return fmt.Errorf("client: RetryPolicy.MaxDelay %s is shorter than BaseDelay %s; raise MaxDelay or lower BaseDelay", full.MaxDelay, full.BaseDelay)
	}
	return nil
}

// withDefaults returns p with every zero field set to its default.
func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts == 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.MaxWait == 0 {
		p.MaxWait = DefaultMaxWait
	}
	if p.BaseDelay == 0 {
		p.BaseDelay = DefaultBaseDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = DefaultMaxDelay
	}
	return p
}
