package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/pager"
)

// pageServer serves pages of pools keyed by the after cursor ("" for the
// first page). links returns the Link header lines of a page. It records
// the query of every request.
type pageServer struct {
	*httptest.Server
	mu      sync.Mutex
	queries []url.Values
}

func newPageServer(t *testing.T, pages map[string][]string, links func(srv *httptest.Server, cursor string) []string) *pageServer {
	t.Helper()

	ps := &pageServer{}
	ps.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.Equal(t, "/api/v1/agentPools", r.URL.Path)
		ps.mu.Lock()
		ps.queries = append(ps.queries, r.URL.Query())
		ps.mu.Unlock()

		cursor := r.URL.Query().Get("after")
		for _, line := range links(ps.Server, cursor) {
			w.Header().Add("Link", line)
		}
		ids := pages[cursor]
		items := make([]string, len(ids))
		for i, id := range ids {
			items[i] = `{"id":"` + id + `","type":"AD"}`
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("[" + strings.Join(items, ",") + "]"))
	}))
	t.Cleanup(ps.Close)
	return ps
}

func (ps *pageServer) Queries() []url.Values {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return append([]url.Values(nil), ps.queries...)
}

var threePages = map[string][]string{"": {"p1", "p2"}, "c2": {"p3"}, "c3": {"p4", "p5"}}

// nextOf is the cursor after each page of threePages.
var nextOf = map[string]string{"": "c2", "c2": "c3"}

func collect(t *testing.T, seq func(yield func(api.AgentPool, error) bool)) ([]string, error) {
	t.Helper()

	var ids []string
	for pool, err := range seq {
		if err != nil {
			return ids, err
		}
		ids = append(ids, *pool.Id)
	}
	return ids, nil
}

func TestListPoolsLinkForms(t *testing.T) {
	tests := []struct {
		name  string
		links func(srv *httptest.Server, cursor string) []string
	}{
		{"comma-joined", func(srv *httptest.Server, cursor string) []string {
			self := `<` + srv.URL + `/api/v1/agentPools?after=` + cursor + `>; rel="self"`
			if next, ok := nextOf[cursor]; ok {
				return []string{self + `, <` + srv.URL + `/api/v1/agentPools?after=` + next + `&limitPerPoolType=2>; rel="next"`}
			}
			return []string{self}
		}},
		{"several lines", func(srv *httptest.Server, cursor string) []string {
			lines := []string{`<` + srv.URL + `/api/v1/agentPools>; rel="self"`}
			if next, ok := nextOf[cursor]; ok {
				lines = append(lines, `<`+srv.URL+`/api/v1/agentPools?limitPerPoolType=2&after=`+next+`>; rel="next"`)
			}
			return lines
		}},
		{"relative next link", func(srv *httptest.Server, cursor string) []string {
			if next, ok := nextOf[cursor]; ok {
				return []string{`</api/v1/agentPools?after=` + next + `>; rel="next"`}
			}
			return nil
		}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newPageServer(t, threePages, tt.links)
			c := newTestClient(t, srv.Server, newFakeClock())

			ids, err := collect(t, c.ListPools(context.Background(), &ListPoolsOptions{LimitPerPoolType: 2, PoolType: api.AD}))

			require.NoError(t, err)
			assert.Equal(t, []string{"p1", "p2", "p3", "p4", "p5"}, ids)
			queries := srv.Queries()
			require.Len(t, queries, 3)
			for i, wantAfter := range []string{"", "c2", "c3"} {
				assert.Equal(t, wantAfter, queries[i].Get("after"))
				assert.Equal(t, "2", queries[i].Get("limitPerPoolType"))
				assert.Equal(t, "AD", queries[i].Get("poolType"))
			}
		})
	}
}

func TestListPoolsCrossHostNextLink(t *testing.T) {
	srv := newPageServer(t, threePages, func(_ *httptest.Server, cursor string) []string {
		return []string{`<https://evil.example/api/v1/agentPools?after=c2>; rel="next"`}
	})
	c := newTestClient(t, srv.Server, newFakeClock())

	ids, err := collect(t, c.ListPools(context.Background(), nil))

	require.ErrorIs(t, err, pager.ErrCrossOrigin)
	assert.Empty(t, ids)
	assert.Len(t, srv.Queries(), 1)
	assert.Contains(t, err.Error(), "client: GET /api/v1/agentPools: reading the next page link")
}

func TestListPoolsCursorLoop(t *testing.T) {
	srv := newPageServer(t, map[string][]string{"": {"p1"}, "c2": {"p2"}}, func(srv *httptest.Server, cursor string) []string {
		return []string{`<` + srv.URL + `/api/v1/agentPools?after=c2>; rel="next"`}
	})
	c := newTestClient(t, srv.Server, newFakeClock())

	ids, err := collect(t, c.ListPools(context.Background(), nil))

	var loop *pager.CursorLoopError
	require.ErrorAs(t, err, &loop)
	assert.Equal(t, "c2", loop.Cursor)
	assert.Equal(t, []string{"p1", "p2"}, ids)
	assert.Len(t, srv.Queries(), 2)
}

func TestListPoolsBreakStopsRequests(t *testing.T) {
	srv := newPageServer(t, threePages, func(srv *httptest.Server, cursor string) []string {
		if next, ok := nextOf[cursor]; ok {
			return []string{`</api/v1/agentPools?after=` + next + `>; rel="next"`}
		}
		return nil
	})
	c := newTestClient(t, srv.Server, newFakeClock())

	for pool, err := range c.ListPools(context.Background(), nil) {
		require.NoError(t, err)
		if *pool.Id == "p3" {
			break
		}
	}

	assert.Len(t, srv.Queries(), 2)
}

func TestListPoolsOptionsAreCopied(t *testing.T) {
	srv := newPageServer(t, threePages, func(*httptest.Server, string) []string { return nil })
	c := newTestClient(t, srv.Server, newFakeClock())
	opts := &ListPoolsOptions{After: "c3", PoolType: api.LDAP}

	seq := c.ListPools(context.Background(), opts)
	opts.After = "c2"
	opts.PoolType = api.AD
	ids, err := collect(t, seq)

	require.NoError(t, err)
	assert.Equal(t, []string{"p4", "p5"}, ids)
	assert.Equal(t, "LDAP", srv.Queries()[0].Get("poolType"))
	assert.Equal(t, &ListPoolsOptions{After: "c2", PoolType: api.AD}, opts, "ListPools must not change the options")
}

func TestPoolIteratorResumes(t *testing.T) {
	srv := newPageServer(t, threePages, func(srv *httptest.Server, cursor string) []string {
		if next, ok := nextOf[cursor]; ok {
			return []string{`</api/v1/agentPools?after=` + next + `>; rel="next"`}
		}
		return nil
	})
	c := newTestClient(t, srv.Server, newFakeClock())
	ctx := context.Background()

	first := c.PoolIterator(nil)
	page, err := first.NextPage(ctx)
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	cursor := first.Cursor()

	resumed := c.PoolIterator(&ListPoolsOptions{After: cursor})
	ids, err := collect(t, resumed.All(ctx))

	require.NoError(t, err)
	assert.Equal(t, "c2", cursor)
	assert.Equal(t, []string{"p3", "p4", "p5"}, ids)
	assert.True(t, resumed.Done())
}

func TestListPoolsPage(t *testing.T) {
	srv := newPageServer(t, threePages, func(srv *httptest.Server, cursor string) []string {
		if next, ok := nextOf[cursor]; ok {
			return []string{`</api/v1/agentPools?after=` + next + `>; rel="next"`}
		}
		return nil
	})
	c := newTestClient(t, srv.Server, newFakeClock())

	page, err := c.ListPoolsPage(context.Background(), &ListPoolsOptions{After: "c2"})
	require.NoError(t, err)
	last, err := c.ListPoolsPage(context.Background(), &ListPoolsOptions{After: "c3"})
	require.NoError(t, err)

	assert.Equal(t, "c3", page.NextCursor)
	assert.Len(t, page.Items, 1)
	assert.Equal(t, "", last.NextCursor)
}

func TestListPoolsInvalidOptions(t *testing.T) {
	srv := newPageServer(t, threePages, func(*httptest.Server, string) []string { return nil })
	c := newTestClient(t, srv.Server, newFakeClock())

	_, err := collect(t, c.ListPools(context.Background(), &ListPoolsOptions{LimitPerPoolType: -1}))
	_, pageErr := c.ListPoolsPage(context.Background(), &ListPoolsOptions{LimitPerPoolType: 1 << 40})

	require.Error(t, err)
	assert.Contains(t, err.Error(), "client: ListPoolsOptions.LimitPerPoolType is -1")
	require.Error(t, pageErr)
	assert.Empty(t, srv.Queries())
}

func TestListPoolsErrorYieldedOnce(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeOktaError(w, http.StatusForbidden, "E0000006", "You do not have permission to perform the requested action")
	}))
	defer srv.Close()
	c := newTestClient(t, srv, newFakeClock())

	var errs []error
	for _, err := range c.ListPools(context.Background(), nil) {
		errs = append(errs, err)
	}

	require.Len(t, errs, 1)
	assert.True(t, IsForbidden(errs[0]))
	assert.False(t, errors.Is(errs[0], pager.ErrDone))
}
