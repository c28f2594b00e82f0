package benchmarks

import (
	"fmt"
	"testing"

	"github.com/okta/okta-sdk-golang/v5/okta"
	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/client"
)

// Each benchmark below runs one client per sub-benchmark, named
// client=NAME so that "benchstat -col /client" puts the clients side by
// side. One iteration is one complete call whose every item and agent is
// read.
//
// The floor and this module's client get bodies with lastConnection in Unix
// milliseconds. The official SDK gets the same bodies with RFC 3339 strings,
// because its time.Time fields decode no other form.

func BenchmarkListAgentPools(b *testing.B) {
	for _, n := range PoolCounts {
		b.Run(fmt.Sprintf("pools=%d", n), func(b *testing.B) {
			benchmarkListPools(b, n)
		})
	}
}

func benchmarkListPools(b *testing.B, n int) {
	millisURL := fixtureURL(b, FixtureName(n, Millis))
	rfc3339URL := fixtureURL(b, FixtureName(n, RFC3339))

	b.Run("client=floor", func(b *testing.B) {
		c := newFloorClient(millisURL, Token, newHTTPClient())
		run(b, n, func() (int, error) {
			pools, err := c.listPools(ctx)
			return countFloorPools(pools), err
		})
	})

	b.Run("client=floor-values", func(b *testing.B) {
		c := newFloorClient(millisURL, Token, newHTTPClient())
		run(b, n, func() (int, error) {
			pools, err := c.listPoolValues(ctx)
			return countValuePools(pools), err
		})
	})

	b.Run("client=floor-api", func(b *testing.B) {
		c := newFloorClient(millisURL, Token, newHTTPClient())
		run(b, n, func() (int, error) {
			pools, err := c.listAPIPools(ctx)
			n := 0
			for _, p := range pools {
				n += countPool(p)
			}
			return n, err
		})
	})

	b.Run("client=agentpools", func(b *testing.B) {
		c := newAgentpoolsClient(b, millisURL)
		run(b, n, func() (int, error) {
			return countPoolIterator(c)
		})
	})

	b.Run("client=oktasdk", func(b *testing.B) {
		c := newSDKClient(b, rfc3339URL)
		run(b, n, func() (int, error) {
			pools, _, err := c.AgentPoolsAPI.ListAgentPools(ctx).Execute()
			return countSDKPools(pools), err
		})
	})
}

// countPoolIterator ranges over every pool that ListPools yields.
func countPoolIterator(c *client.Client) (int, error) {
	n := 0
	for pool, err := range c.ListPools(ctx, nil) {
		if err != nil {
			return n, err
		}
		n += countPool(pool)
	}
	return n, nil
}

func countPool(p api.AgentPool) int {
	n := len(*p.Id)
	if p.Agents != nil {
		for _, a := range *p.Agents {
			n += len(*a.Id)
		}
	}
	return n
}

func countUpdates(updates []api.AgentPoolUpdate) int {
	n := 0
	for _, u := range updates {
		n += len(*u.Id)
		if u.Agents != nil {
			for _, a := range *u.Agents {
				n += len(*a.Id)
			}
		}
	}
	return n
}

func BenchmarkListAgentPoolsUpdates(b *testing.B) {
	millisURL := fixtureURL(b, FixtureName(1, Millis))
	rfc3339URL := fixtureURL(b, FixtureName(1, RFC3339))
	poolID := PoolID(0)

	b.Run("client=floor", func(b *testing.B) {
		c := newFloorClient(millisURL, Token, newHTTPClient())
		run(b, UpdateCount, func() (int, error) {
			updates, err := c.listUpdates(ctx, poolID)
			return countFloorUpdates(updates), err
		})
	})

	b.Run("client=floor-values", func(b *testing.B) {
		c := newFloorClient(millisURL, Token, newHTTPClient())
		run(b, UpdateCount, func() (int, error) {
			updates, err := c.listUpdateValues(ctx, poolID)
			return countValueUpdates(updates), err
		})
	})

	b.Run("client=floor-api", func(b *testing.B) {
		c := newFloorClient(millisURL, Token, newHTTPClient())
		run(b, UpdateCount, func() (int, error) {
			updates, err := c.listAPIUpdates(ctx, poolID)
			return countUpdates(updates), err
		})
	})

	b.Run("client=agentpools", func(b *testing.B) {
		c := newAgentpoolsClient(b, millisURL)
		run(b, UpdateCount, func() (int, error) {
			updates, err := c.ListUpdates(ctx, poolID, nil)
			return countUpdates(updates), err
		})
	})

	b.Run("client=oktasdk", func(b *testing.B) {
		c := newSDKClient(b, rfc3339URL)
		run(b, UpdateCount, func() (int, error) {
			updates, _, err := c.AgentPoolsAPI.ListAgentPoolsUpdates(ctx, poolID).Execute()
			return countSDKUpdates(updates), err
		})
	})
}

func BenchmarkActivateUpdate(b *testing.B) {
	millisURL := fixtureURL(b, FixtureName(1, Millis))
	rfc3339URL := fixtureURL(b, FixtureName(1, RFC3339))
	poolID, updateID := PoolID(0), UpdateID(0)

	b.Run("client=floor", func(b *testing.B) {
		c := newFloorClient(millisURL, Token, newHTTPClient())
		run(b, 1, func() (int, error) {
			update, err := c.activateUpdate(ctx, poolID, updateID)
			if err != nil {
				return 0, err
			}
			return countFloorUpdates([]floorUpdate{*update}), nil
		})
	})

	b.Run("client=floor-values", func(b *testing.B) {
		c := newFloorClient(millisURL, Token, newHTTPClient())
		run(b, 1, func() (int, error) {
			update, err := c.activateUpdateValue(ctx, poolID, updateID)
			if err != nil {
				return 0, err
			}
			return countValueUpdates([]valueUpdate{*update}), nil
		})
	})

	b.Run("client=floor-api", func(b *testing.B) {
		c := newFloorClient(millisURL, Token, newHTTPClient())
		run(b, 1, func() (int, error) {
			update, err := c.activateAPIUpdate(ctx, poolID, updateID)
			if err != nil {
				return 0, err
			}
			return countUpdates([]api.AgentPoolUpdate{*update}), nil
		})
	})

	b.Run("client=agentpools", func(b *testing.B) {
		c := newAgentpoolsClient(b, millisURL)
		run(b, 1, func() (int, error) {
			update, err := c.ActivateUpdate(ctx, poolID, updateID)
			if err != nil {
				return 0, err
			}
			return countUpdates([]api.AgentPoolUpdate{*update}), nil
		})
	})

	b.Run("client=oktasdk", func(b *testing.B) {
		c := newSDKClient(b, rfc3339URL)
		run(b, 1, func() (int, error) {
			update, _, err := c.AgentPoolsAPI.ActivateAgentPoolsUpdate(ctx, poolID, updateID).Execute()
			if err != nil {
				return 0, err
			}
			return countSDKUpdates([]okta.AgentPoolUpdate{*update}), nil
		})
	})
}

// run checks one call outside the timer, so that the connection is open
// and the result is complete, then times call.
func run(b *testing.B, items int, call func() (int, error)) {
	got, err := call()
	if err != nil {
		b.Fatal(err)
	}
	checkCount(b, got, items)

	b.ReportAllocs()
	for b.Loop() {
		got, err := call()
		if err != nil {
			b.Fatal(err)
		}
		sink += got
	}
}
