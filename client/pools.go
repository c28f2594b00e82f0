package client

import (
	"context"
	"fmt"
	"iter"
	"math"
	"strconv"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/pager"
)

// ListPoolsOptions selects the agent pools that ListPools returns. The zero
// value lists every pool from the first page. Methods copy the options, so
// changing them after a call has no effect on it.
type ListPoolsOptions struct {
	// PoolType, when set, returns only the pools of this agent type. A type
	// that api does not define yet is sent as it is.
	PoolType api.AgentType

	// LimitPerPoolType is the largest number of pools of each agent type on
	// one page. Zero leaves it to Okta, whose default is 5.
	LimitPerPoolType int

	// After is the cursor to start from, as returned by a page's NextCursor
	// or Iterator.Cursor; "" starts from the first page.
	After string
}

// query returns the query string of the page after cursor, with the
// parameters in the order of the generated request builder.
func (o ListPoolsOptions) query(cursor string) (string, error) {
	if o.LimitPerPoolType < 0 || o.LimitPerPoolType > math.MaxInt32 {
		return "", fmt.Errorf("client: ListPoolsOptions.LimitPerPoolType is %d; pass a number from 1 to %d, or 0 for Okta's default", o.LimitPerPoolType, math.MaxInt32)
	}

	var query string
	if o.LimitPerPoolType > 0 {
		query = addQueryParam(query, "limitPerPoolType", strconv.Itoa(o.LimitPerPoolType))
	}
	if o.PoolType != "" {
		query = addQueryParam(query, "poolType", string(o.PoolType))
	}
	if cursor != "" {
		query = addQueryParam(query, "after", cursor)
	}
	return query, nil
}

// ListPools returns an iterator over the agent pools of the org, page after
// page, starting at opts.After. A nil opts lists every pool.
//
// It calls listAgentPools (GET /api/v1/agentPools), which needs the scope
// okta.agentPools.read, and follows the rel="next" Link header of each
// page. The iterator yields an error once and then stops. The error is an
// *Error for a response that is not 2xx, ctx.Err() when ctx ends, an error
// before any request when ctx is nil, a *pager.CursorLoopError when Okta
// repeats a cursor, or an error wrapping pager.ErrCrossOrigin when a next
// link points to another host. Breaking out of the loop stops the
// requests. Each page is a request that is retried as RetryPolicy allows.
func (c *Client) ListPools(ctx context.Context, opts *ListPoolsOptions) iter.Seq2[api.AgentPool, error] {
	o := copyListPoolsOptions(opts)
	return pager.All(ctx, o.After, c.fetchPools(o))
}

// PoolIterator returns a resumable iterator over the agent pools of the
// org, starting at opts.After, for long jobs: its Cursor method returns the
// cursor of the next page, which a later run passes as
// ListPoolsOptions.After. A nil opts lists every pool. Requests, scope and
// errors are those of ListPools.
func (c *Client) PoolIterator(opts *ListPoolsOptions) *pager.Iterator[api.AgentPool] {
	o := copyListPoolsOptions(opts)
	return pager.NewIterator(o.After, c.fetchPools(o))
}

// ListPoolsPage returns one page of agent pools, the one that starts at
// opts.After, with the cursor of the next page; NextCursor is "" on the
// last page. A nil opts returns the first page. It calls listAgentPools
// (GET /api/v1/agentPools), which needs the scope okta.agentPools.read.
func (c *Client) ListPoolsPage(ctx context.Context, opts *ListPoolsOptions) (pager.Page[api.AgentPool], error) {
	if err := checkContext(ctx); err != nil {
		return pager.Page[api.AgentPool]{}, err
	}

	o := copyListPoolsOptions(opts)
	return c.fetchPools(o)(ctx, o.After)
}

func copyListPoolsOptions(opts *ListPoolsOptions) ListPoolsOptions {
	if opts == nil {
		return ListPoolsOptions{}
	}
	return *opts
}

// fetchPools returns the function that fetches the page of pools at a
// cursor.
func (c *Client) fetchPools(opts ListPoolsOptions) pager.FetchFunc[api.AgentPool] {
	return func(ctx context.Context, cursor string) (pager.Page[api.AgentPool], error) {
		query, err := opts.query(cursor)
		if err != nil {
			return pager.Page[api.AgentPool]{}, err
		}
		req, err := c.newRequest(ctx, opListPools, query, nil)
		if err != nil {
			return pager.Page[api.AgentPool]{}, err
		}

		var pools []api.AgentPool
		result, err := c.call(ctx, opListPools, req, &pools)
		if err != nil {
			return pager.Page[api.AgentPool]{}, err
		}

		next, err := pager.NextCursor(result.url, result.header, "after")
		if err != nil {
			return pager.Page[api.AgentPool]{}, fmt.Errorf("client: GET %s: reading the next page link (request id %s): %w",
				poolsPath, result.requestID(), err)
		}
		return pager.Page[api.AgentPool]{Items: pools, NextCursor: next}, nil
	}
}
