package oktatest_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/oktatest"
)

// listAll follows the rel="next" links from path and returns the pages.
func listAll(t *testing.T, srv *oktatest.Server, path string) [][]api.AgentPool {
	t.Helper()

	var pages [][]api.AgentPool
	for path != "" {
		require.Less(t, len(pages), 20, "pagination does not end")
		resp, body := call(t, srv, http.MethodGet, path, "")
		require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", body)
		pages = append(pages, decode[[]api.AgentPool](t, body))

		next, ok := links(t, resp.Header)["next"]
		if !ok {
			break
		}
		require.True(t, strings.HasPrefix(next, srv.URL+"/api/v1/agentPools?"), "next link %q is not absolute", next)
		path = strings.TrimPrefix(next, srv.URL)
	}
	return pages
}

func countByType(pools []api.AgentPool) map[api.AgentType]int {
	counts := map[api.AgentType]int{}
	for _, p := range pools {
		counts[*p.Type]++
	}
	return counts
}

func TestListAgentPoolsPagesPerType(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())

	pages := listAll(t, srv, "/api/v1/agentPools?limitPerPoolType=2")

	require.Len(t, pages, 3)
	assert.Equal(t, map[api.AgentType]int{api.AD: 2, api.IWA: 2, api.LDAP: 2, api.MFA: 2, api.OPP: 1, api.RUM: 1, api.Radius: 1}, countByType(pages[0]))
	assert.Equal(t, map[api.AgentType]int{api.AD: 2, api.LDAP: 1}, countByType(pages[1]))
	assert.Equal(t, map[api.AgentType]int{api.AD: 1}, countByType(pages[2]))

	seen := map[string]bool{}
	for _, page := range pages {
		for _, p := range page {
			assert.False(t, seen[*p.Id], "pool %s listed twice", *p.Id)
			seen[*p.Id] = true
		}
	}
	assert.Len(t, seen, len(srv.Pools()))
}

func TestListAgentPoolsPageOrder(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())

	pages := listAll(t, srv, "/api/v1/agentPools?limitPerPoolType=2")

	var types []string
	for _, p := range pages[0] {
		types = append(types, string(*p.Type))
	}
	assert.Equal(t, []string{"AD", "AD", "IWA", "IWA", "LDAP", "LDAP", "MFA", "MFA", "OPP", "RUM", "Radius"}, types)
	assert.Equal(t, "corp.example.com", *pages[0][0].Name)
	assert.Equal(t, "emea.corp.example.com", *pages[0][1].Name)
	assert.Equal(t, "apac.corp.example.com", *pages[1][0].Name)
}

func TestListAgentPoolsKeepsFilterAndLimit(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())

	resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools?poolType=AD&limitPerPoolType=2", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Len(t, decode[[]api.AgentPool](t, body), 2)

	rels := links(t, resp.Header)
	assert.Equal(t, srv.URL+"/api/v1/agentPools?poolType=AD&limitPerPoolType=2", rels["self"])
	next, err := url.Parse(rels["next"])
	require.NoError(t, err)
	assert.Equal(t, "AD", next.Query().Get("poolType"))
	assert.Equal(t, "2", next.Query().Get("limitPerPoolType"))
	assert.NotEmpty(t, next.Query().Get("after"))

	pages := listAll(t, srv, "/api/v1/agentPools?poolType=AD&limitPerPoolType=2")
	require.Len(t, pages, 3)
	for _, page := range pages {
		for _, p := range page {
			assert.Equal(t, api.AD, *p.Type)
		}
	}
}

func TestListAgentPoolsSendsLinksAsSeparateHeaders(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())

	resp, _ := call(t, srv, http.MethodGet, "/api/v1/agentPools?limitPerPoolType=1", "")

	values := resp.Header.Values("Link")
	require.Len(t, values, 2)
	assert.True(t, strings.HasSuffix(values[0], `>; rel="self"`), values[0])
	assert.True(t, strings.HasSuffix(values[1], `>; rel="next"`), values[1])
}

func TestListAgentPoolsDefaultLimitFitsSample(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())

	resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")

	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Len(t, decode[[]api.AgentPool](t, body), 15)
	rels := links(t, resp.Header)
	assert.Equal(t, srv.URL+"/api/v1/agentPools", rels["self"])
	assert.NotContains(t, rels, "next")
}

func TestListAgentPoolsDefaultLimitIsFive(t *testing.T) {
	srv := oktatest.New(t)
	for i := range 7 {
		srv.AddPool(api.AgentPool{Name: ptr("pool" + strconv.Itoa(i)), Type: ptr(api.LDAP)})
	}

	pages := listAll(t, srv, "/api/v1/agentPools")

	require.Len(t, pages, 2)
	assert.Len(t, pages[0], 5)
	assert.Len(t, pages[1], 2)
}

func TestListAgentPoolsEmptyOrg(t *testing.T) {
	srv := oktatest.New(t)

	resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")

	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.JSONEq(t, "[]", string(body))
}

func TestListAgentPoolsUnknownTypesLast(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithoutResponseValidation())
	srv.AddPool(api.AgentPool{Name: ptr("future"), Type: ptr(api.AgentType("ZZ"))})
	srv.AddPool(api.AgentPool{Name: ptr("ad"), Type: ptr(api.AD)})

	resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")

	require.Equal(t, http.StatusOK, resp.StatusCode)
	pools := decode[[]api.AgentPool](t, body)
	require.Len(t, pools, 2)
	assert.Equal(t, "ad", *pools[0].Name)
	assert.Equal(t, api.AgentType("ZZ"), *pools[1].Type)
}

func TestListAgentPoolsRejectsBadCursor(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	other := oktatest.New(t, oktatest.WithSampleData())

	resp, _ := call(t, other, http.MethodGet, "/api/v1/agentPools?limitPerPoolType=1", "")
	foreign, err := url.Parse(links(t, resp.Header)["next"])
	require.NoError(t, err)

	cursors := map[string]string{
		"garbled":      "%%%not-base64",
		"raw pool id":  *srv.Pools()[0].Id,
		"other server": foreign.Query().Get("after"),
	}
	for name, cursor := range cursors {
		t.Run(name, func(t *testing.T) {
			resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools?after="+url.QueryEscape(cursor), "")

			e := requireOktaError(t, resp, body, http.StatusBadRequest, "E0000001")
			assert.Equal(t, "Api validation failed: after", *e.ErrorSummary)
			require.Len(t, causes(e), 1)
			assert.Contains(t, causes(e)[0], "after")
		})
	}
}

func TestListAgentPoolsLinksPointAtPools(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())

	_, body := call(t, srv, http.MethodGet, "/api/v1/agentPools?poolType=RUM", "")

	pools := decode[[]api.AgentPool](t, body)
	require.Len(t, pools, 1)
	require.NotNil(t, pools[0].Links)
	require.NotNil(t, pools[0].Links.Self)
	assert.Equal(t, srv.URL+"/api/v1/agentPools/"+*pools[0].Id, pools[0].Links.Self.Href)
}
