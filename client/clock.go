package client

import (
	"context"
	"time"
)

// Clock is the time source of a Client. WithClock replaces the system clock,
// so that tests of rate limits and backoff run without real waits.
//
// Implementations must be safe for concurrent use.
type Clock interface {
	// Now returns the current time.
	Now() time.Time

	// Wait blocks until d has passed or ctx is done, whichever comes first.
	// It returns ctx.Err() when ctx ends the wait, and nil otherwise. A d of
	// zero or less returns at once, with ctx.Err().
	Wait(ctx context.Context, d time.Duration) error
}

// systemClock is the Clock of the operating system, with real timers.
type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) Wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}

	timer := time.NewTimer(d)
	defer timer.Stop()

	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
