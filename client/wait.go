package client

import (
	"context"
	"fmt"
	"time"

	"github.com/seed570a29ac/agentpools/api"
)

// Default polling intervals of WaitUpdate.
const (
	DefaultWaitInterval    = 10 * time.Second
	DefaultWaitMaxInterval = 2 * time.Minute
)

// WaitOptions configures WaitUpdate. The zero value polls every
// DefaultWaitInterval at first, backing off to DefaultWaitMaxInterval.
type WaitOptions struct {
	// Interval is the wait before the second poll. Zero means
	// DefaultWaitInterval.
	Interval time.Duration

	// MaxInterval caps the wait between polls, which grows by half after
	// each poll. Zero means DefaultWaitMaxInterval.
	MaxInterval time.Duration

	// Done reports whether the wait is over. Nil means that the update's
	// status is finished (api.AgentUpdateJobStatus.IsFinished).
	Done func(api.AgentPoolUpdate) bool
}

// WaitUpdate polls the update updateID of the pool poolID with GetUpdate
// until opts.Done reports true, by default until the job has finished, and
// returns the update as last read. It needs okta.agentPools.read.
//
// NOTE: Okta documents no bound on how long a job runs, and a status this
// module does not know never counts as finished. Give ctx a deadline: when
// it ends, WaitUpdate returns ctx.Err() with the update as last read.
//
// An error of GetUpdate ends the wait and is returned as is, after that
// call's own retries.
func (c *Client) WaitUpdate(ctx context.Context, poolID, updateID string, opts *WaitOptions) (*api.AgentPoolUpdate, error) {
	if err := checkContext(ctx); err != nil {
		return nil, err
	}

	var o WaitOptions
	if opts != nil {
		o = *opts
	}
	if o.Interval < 0 || o.MaxInterval < 0 {
		return nil, fmt.Errorf("client: WaitOptions intervals must not be negative, got Interval %v and MaxInterval %v", o.Interval, o.MaxInterval)
	}
	if o.Interval == 0 {
		o.Interval = DefaultWaitInterval
	}
	if o.MaxInterval == 0 {
		o.MaxInterval = DefaultWaitMaxInterval
	}
	done := o.Done
	if done == nil {
		done = func(u api.AgentPoolUpdate) bool { return u.StatusValue().IsFinished() }
	}

	interval := o.Interval
	for {
		update, err := c.GetUpdate(ctx, poolID, updateID)
		if err != nil {
			return nil, err
		}
		if done(*update) {
			return update, nil
		}

		c.logger.DebugContext(ctx, "agentpools: waiting for update",
			"pool_id", poolID, "update_id", updateID, "status", update.StatusValue(), "wait", interval)
		if err := c.clock.Wait(ctx, interval); err != nil {
			return update, err
		}
		interval = min(interval+interval/2, o.MaxInterval)
	}
}
