package client

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
)

// generatedBuilder builds the request of one operation with the generated
// api.New...Request function, the reference for newRequest.
type generatedBuilder struct {
	op    operation
	ids   int // path parameters: 0, 1 (poolId) or 2 (poolId, updateId)
	body  bool
	build func(server, poolID, updateID string, body []byte) (*http.Request, error)
}

// generatedBuilders lists every operation, built without query parameters.
var generatedBuilders = []generatedBuilder{
	{opListPools, 0, false, func(server, _, _ string, _ []byte) (*http.Request, error) {
		return api.NewListAgentPoolsRequest(server, nil)
	}},
	{opListUpdates, 1, false, func(server, poolID, _ string, _ []byte) (*http.Request, error) {
		return api.NewListAgentPoolsUpdatesRequest(server, poolID, nil)
	}},
	{opCreateUpdate, 1, true, func(server, poolID, _ string, body []byte) (*http.Request, error) {
		return api.NewCreateAgentPoolsUpdateRequestWithBody(server, poolID, "application/json", bytes.NewReader(body))
	}},
	{opGetUpdate, 2, false, func(server, poolID, updateID string, _ []byte) (*http.Request, error) {
		return api.NewGetAgentPoolsUpdateInstanceRequest(server, poolID, updateID)
	}},
	{opEditUpdate, 2, true, func(server, poolID, updateID string, body []byte) (*http.Request, error) {
		return api.NewUpdateAgentPoolsUpdateRequestWithBody(server, poolID, updateID, "application/json", bytes.NewReader(body))
	}},
	{opDeleteUpd, 2, false, func(server, poolID, updateID string, _ []byte) (*http.Request, error) {
		return api.NewDeleteAgentPoolsUpdateRequest(server, poolID, updateID)
	}},
	{opGetSettings, 1, false, func(server, poolID, _ string, _ []byte) (*http.Request, error) {
		return api.NewGetAgentPoolsUpdateSettingsRequest(server, poolID)
	}},
	{opEditSettings, 1, true, func(server, poolID, _ string, body []byte) (*http.Request, error) {
		return api.NewUpdateAgentPoolsUpdateSettingsRequestWithBody(server, poolID, "application/json", bytes.NewReader(body))
	}},
	{opActivate, 2, false, func(server, poolID, updateID string, _ []byte) (*http.Request, error) {
		return api.NewActivateAgentPoolsUpdateRequest(server, poolID, updateID)
	}},
	{opDeactivate, 2, false, func(server, poolID, updateID string, _ []byte) (*http.Request, error) {
		return api.NewDeactivateAgentPoolsUpdateRequest(server, poolID, updateID)
	}},
	{opPause, 2, false, func(server, poolID, updateID string, _ []byte) (*http.Request, error) {
		return api.NewPauseAgentPoolsUpdateRequest(server, poolID, updateID)
	}},
	{opResume, 2, false, func(server, poolID, updateID string, _ []byte) (*http.Request, error) {
		return api.NewResumeAgentPoolsUpdateRequest(server, poolID, updateID)
	}},
	{opStop, 2, false, func(server, poolID, updateID string, _ []byte) (*http.Request, error) {
		return api.NewStopAgentPoolsUpdateRequest(server, poolID, updateID)
	}},
	{opRetry, 2, false, func(server, poolID, updateID string, _ []byte) (*http.Request, error) {
		return api.NewRetryAgentPoolsUpdateRequest(server, poolID, updateID)
	}},
}

// trickyIDs are path parameters that need escaping, or look as if they do.
var trickyIDs = []string{
	"0oa1b2c3d4e5f6g7h8i9",
	"a/b?c#d",
	"%2F e",
	"a+b;c,d",
	"a:b@c$d&e=f",
	"..x",
	"ü 名前",
	"tab\there",
	"[::1]",
}

// assertSameRequest checks that got is the request that want describes: the
// same method, URL, headers and body.
func assertSameRequest(t *testing.T, want, got *http.Request) {
	t.Helper()

	assert.Equal(t, want.Method, got.Method)
	assert.Equal(t, want.URL.String(), got.URL.String())
	assert.Equal(t, want.URL.EscapedPath(), got.URL.EscapedPath())
	assert.Equal(t, want.URL.RawQuery, got.URL.RawQuery)
	assert.Equal(t, want.Host, got.Host)
	assert.Equal(t, want.Header, got.Header)
	assert.Equal(t, want.ContentLength, got.ContentLength)
	assert.Equal(t, want.GetBody == nil, got.GetBody == nil, "GetBody set")
	assert.Equal(t, readRequestBody(t, want), readRequestBody(t, got))
}

func readRequestBody(t *testing.T, req *http.Request) []byte {
	t.Helper()
	if req.Body == nil {
		return nil
	}
	b, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	return b
}

func TestNewRequestMatchesGeneratedBuilders(t *testing.T) {
	c := &Client{server: "https://acme.okta.com:8443"}
	ctx := context.WithValue(context.Background(), testContextKey{}, "request context")
	body := []byte(`{"name":"update"}`)

	for _, g := range generatedBuilders {
		t.Run(g.op.id, func(t *testing.T) {
			for _, id := range trickyIDs {
				var reqBody []byte
				if g.body {
					reqBody = body
				}
				ids := []string{id, id + "-update"}[:g.ids]

				want, err := g.build(c.server, id, id+"-update", reqBody)
				require.NoError(t, err)
				got, err := c.newRequest(ctx, g.op, "", reqBody, ids...)
				require.NoError(t, err)

				assertSameRequest(t, want, got)
				assert.Equal(t, "request context", got.Context().Value(testContextKey{}), "context of the request")
			}
		})
	}
}

type testContextKey struct{}

func TestNewRequestQueryMatchesGeneratedBuilders(t *testing.T) {
	c := &Client{server: "https://acme.okta.com"}
	ctx := context.Background()

	t.Run("listAgentPools", func(t *testing.T) {
		tests := []ListPoolsOptions{
			{},
			{LimitPerPoolType: 5},
			{PoolType: api.AD},
			{PoolType: "new type&x=1 +", LimitPerPoolType: 2147483647},
		}
		for _, opts := range tests {
			for _, cursor := range []string{"", "0oa1", "a b+c/d?e=f&g#h%"} {
				var params api.ListAgentPoolsParams
				if opts.LimitPerPoolType > 0 {
					limit := int32(opts.LimitPerPoolType)
					params.LimitPerPoolType = &limit
				}
				if opts.PoolType != "" {
					params.PoolType = &opts.PoolType
				}
				if cursor != "" {
					params.After = &cursor
				}
				want, err := api.NewListAgentPoolsRequest(c.server, &params)
				require.NoError(t, err)

				query, err := opts.query(cursor)
				require.NoError(t, err)
				got, err := c.newRequest(ctx, opListPools, query, nil)
				require.NoError(t, err)

				assertSameRequest(t, want, got)
			}
		}
	})

	t.Run("listAgentPoolsUpdates", func(t *testing.T) {
		for _, scheduled := range []bool{true, false} {
			want, err := api.NewListAgentPoolsUpdatesRequest(c.server, "p", &api.ListAgentPoolsUpdatesParams{Scheduled: &scheduled})
			require.NoError(t, err)

			got, err := c.newRequest(ctx, opListUpdates, "scheduled="+strconv.FormatBool(scheduled), nil, "p")
			require.NoError(t, err)

			assertSameRequest(t, want, got)
		}
	})
}

func TestNewRequestChecksParameterCount(t *testing.T) {
	c := &Client{server: "https://acme.okta.com"}
	ctx := context.Background()

	_, err := c.newRequest(ctx, opGetUpdate, "", nil, "p")
	assert.ErrorContains(t, err, "client: getAgentPoolsUpdateInstance: building the request: the path template \"/api/v1/agentPools/{poolId}/updates/{updateId}\" has more parameters than the 1 IDs given")

	_, err = c.newRequest(ctx, opListPools, "", nil, "p")
	assert.ErrorContains(t, err, "has fewer parameters than the 1 IDs given")

	_, err = c.newRequest(ctx, newOperation("broken", http.MethodGet, "/api/v1/agentPools/{poolId", safeToRepeat), "", nil, "p")
	assert.ErrorContains(t, err, "has an unclosed parameter")
}

// FuzzNewRequest checks that newRequest builds the request of the generated
// builder for any pair of IDs.
func FuzzNewRequest(f *testing.F) {
	for _, id := range trickyIDs {
		f.Add(id, "u")
	}
	f.Add("p", "%zz")
	f.Add("{poolId}", "}{")

	c := &Client{server: "https://acme.okta.com"}
	f.Fuzz(func(t *testing.T, poolID, updateID string) {
		if checkIDs(poolID, updateID) != nil {
			return
		}
		want, err := api.NewActivateAgentPoolsUpdateRequest(c.server, poolID, updateID)
		require.NoError(t, err)
		got, err := c.newRequest(context.Background(), opActivate, "", nil, poolID, updateID)
		require.NoError(t, err)

		assertSameRequest(t, want, got)
	})
}
