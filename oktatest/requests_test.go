package oktatest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/oktatest"
)

func TestRequestsRecordsAndRedacts(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "corp.example.com")

	respList, _ := call(t, srv, http.MethodGet, "/api/v1/agentPools?poolType=AD", "", withHeader("DPoP", "eyJhbGciOiJFUzI1NiJ9.secret.proof"))
	call(t, srv, http.MethodPost, updatesPath(*pool.Id), `{"name": "x"}`)
	call(t, srv, http.MethodGet, "/api/v1/nope", "", withHeader("Authorization", "Bearer secret-access-token"))

	requests := srv.Requests()
	require.Len(t, requests, 3)

	list := requests[0]
	assert.Equal(t, "listAgentPools", list.OperationID)
	assert.Equal(t, http.MethodGet, list.Method)
	assert.Equal(t, "/api/v1/agentPools", list.Path)
	assert.Equal(t, "poolType=AD", list.RawQuery)
	assert.Equal(t, http.StatusOK, list.Status)
	assert.Equal(t, respList.Header.Get("X-Okta-Request-Id"), list.RequestID)
	assert.Equal(t, "SSWS [redacted]", list.Header.Get("Authorization"))
	assert.Equal(t, "[redacted]", list.Header.Get("DPoP"))
	assert.NotContains(t, list.Header.Get("Authorization"), srv.APIToken())

	create := requests[1]
	assert.Equal(t, "createAgentPoolsUpdate", create.OperationID)
	assert.JSONEq(t, `{"name": "x"}`, string(create.Body))
	assert.Equal(t, http.StatusCreated, create.Status)
	assert.Equal(t, "application/json", create.Header.Get("Content-Type"))

	unknown := requests[2]
	assert.Empty(t, unknown.OperationID)
	assert.Equal(t, http.StatusNotFound, unknown.Status)
	assert.Equal(t, "Bearer [redacted]", unknown.Header.Get("Authorization"))

	srv.ResetRequests()
	assert.Empty(t, srv.Requests())
}

func TestRequestsReturnsCopies(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "corp.example.com")
	call(t, srv, http.MethodPost, updatesPath(*pool.Id), `{"name": "x"}`)

	first := srv.Requests()
	first[0].Body[0] = 'X'
	first[0].Header.Set("Authorization", "changed")

	second := srv.Requests()
	assert.JSONEq(t, `{"name": "x"}`, string(second[0].Body))
	assert.Equal(t, "SSWS [redacted]", second[0].Header.Get("Authorization"))
}

func TestRequestIDsAreUnique(t *testing.T) {
	srv := oktatest.New(t)

	seen := map[string]bool{}
	for range 20 {
		resp, _ := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")
		id := resp.Header.Get("X-Okta-Request-Id")
		require.NotEmpty(t, id)
		assert.False(t, seen[id], "request id %s repeated", id)
		seen[id] = true
	}
}
