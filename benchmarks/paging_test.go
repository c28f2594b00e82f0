package benchmarks

import (
	"encoding/json"
	"fmt"
	"runtime"
	"testing"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/client"
)

// heapSamples is how many times one iteration over the paged listing stops
// to measure the live heap.
const heapSamples = 8

// BenchmarkIterateAllPools ranges over PagedTotal pools, served in pages of
// PagedPerPage with rel="next" links, through ListPools. Besides the time
// and allocations of one whole iteration it reports:
//
//   - live-B: the most bytes of live heap, above the heap before the
//     iteration, at heapSamples points in the middle of a page, each after
//     a full garbage collection;
//   - page-B: the live heap that one decoded page of PagedPerPage pools
//     takes as []api.AgentPool;
//   - body-B: the size of one page's JSON body.
//
// live-B stays near page-B when the iterator holds one page at a time.
// The heap is measured in a first iteration outside the timer, because the
// forced collections would distort the time.
func BenchmarkIterateAllPools(b *testing.B) {
	b.Run(fmt.Sprintf("pools=%d/client=agentpools", PagedTotal), func(b *testing.B) {
		c := newAgentpoolsClient(b, fixtureURL(b, PagedName))
		body := PoolsPage(0, PagedPerPage, Millis)

		pageBytes := decodedPageBytes(b, body)
		liveBytes := maxLiveHeap(b, c)

		b.ReportAllocs()
		for b.Loop() {
			n, err := countPoolIterator(c)
			if err != nil {
				b.Fatal(err)
			}
			sink += n
		}

		b.ReportMetric(float64(liveBytes), "live-B")
		b.ReportMetric(float64(pageBytes), "page-B")
		b.ReportMetric(float64(len(body)), "body-B")
	})
}

// decodedPageBytes returns the live heap that body takes once decoded as
// []api.AgentPool.
func decodedPageBytes(tb testing.TB, body []byte) uint64 {
	tb.Helper()

	before := liveHeap()
	var pools []api.AgentPool
	if err := json.Unmarshal(body, &pools); err != nil {
		tb.Fatal(err)
	}
	after := liveHeap()
	runtime.KeepAlive(pools)
	runtime.KeepAlive(body) // else body could be freed between the samples

	if after < before {
		tb.Fatalf("the live heap shrank from %d to %d bytes while decoding a page", before, after)
	}
	return after - before
}

// maxLiveHeap ranges over every pool of c and returns the largest live heap
// above the heap before the iteration, sampled heapSamples times in the
// middle of a page.
func maxLiveHeap(tb testing.TB, c *client.Client) uint64 {
	tb.Helper()

	// A first iteration opens the connection and fills the transport's
	// buffer pools, which then belong to the baseline.
	if _, err := countPoolIterator(c); err != nil {
		tb.Fatal(err)
	}

	every := PagedTotal / heapSamples
	baseline := liveHeap()
	var maxLive uint64
	i, seen := 0, 0
	for pool, err := range c.ListPools(ctx, nil) {
		if err != nil {
			tb.Fatal(err)
		}
		seen += countPool(pool)
		if i%every == PagedPerPage/2 {
			if live := liveHeap(); live > baseline {
				maxLive = max(maxLive, live-baseline)
			}
		}
		i++
	}
	checkCount(tb, seen, PagedTotal)
	return maxLive
}

// liveHeap returns the bytes of heap objects that survive full garbage
// collection. It collects twice, because the first collection only moves
// the contents of each sync.Pool to its victim cache, and the second frees
// them.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
