package oktatest_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/oktatest"
)

func TestFaultServerErrorOnce(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	require.NoError(t, srv.InjectFault("listAgentPools", oktatest.Fault{Status: http.StatusServiceUnavailable, Times: 1}))

	resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")
	requireOktaError(t, resp, body, http.StatusServiceUnavailable, "E0000009")

	resp, _ = call(t, srv, http.MethodGet, "/api/v1/agentPools", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the fault applied once")
}

func TestFaultOnlyItsOperation(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "corp.example.com")
	require.NoError(t, srv.InjectFault("getAgentPoolsUpdateSettings", oktatest.Fault{Status: http.StatusInternalServerError}))

	resp, _ := call(t, srv, http.MethodGet, updatesPath(*pool.Id), "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	for range 3 {
		resp, body := call(t, srv, http.MethodGet, updatesPath(*pool.Id)+"/settings", "")
		requireOktaError(t, resp, body, http.StatusInternalServerError, "E0000009")
	}

	srv.ClearFaults()
	resp, _ = call(t, srv, http.MethodGet, updatesPath(*pool.Id)+"/settings", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestFaultRawBodies(t *testing.T) {
	tests := []struct {
		name        string
		fault       oktatest.Fault
		contentType string
	}{
		{"malformed JSON", oktatest.Fault{Status: http.StatusOK, Body: []byte(`[{"id": "0oa`)}, "application/json"},
		{"HTML gateway page", oktatest.Fault{
			Status: http.StatusBadGateway,
			Header: http.Header{"Content-Type": {"text/html"}},
			Body:   []byte("<html><body>502 Bad Gateway</body></html>"),
		}, "text/html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := oktatest.New(t)
			require.NoError(t, srv.InjectFault("listAgentPools", tt.fault))

			resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")

			assert.Equal(t, tt.fault.Status, resp.StatusCode)
			assert.Equal(t, tt.fault.Body, body)
			assert.Equal(t, tt.contentType, resp.Header.Get("Content-Type"))
			assert.NotEmpty(t, resp.Header.Get("X-Okta-Request-Id"))
			assert.Empty(t, srv.ValidationErrors(), "fault responses skip response validation")
		})
	}
}

func TestFaultRateLimited(t *testing.T) {
	reset := time.Date(2030, time.January, 1, 0, 0, 30, 0, time.UTC)
	srv := oktatest.New(t)
	require.NoError(t, srv.InjectFault("listAgentPools", oktatest.Fault{
		Status:         http.StatusTooManyRequests,
		RateLimitReset: reset,
		Header:         http.Header{"Retry-After": {"30"}},
		Times:          1,
	}))

	resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")

	e := requireOktaError(t, resp, body, http.StatusTooManyRequests, "E0000047")
	assert.Equal(t, "API call exceeded rate limit due to too many requests.", *e.ErrorSummary)
	assert.Equal(t, "0", resp.Header.Get("X-Rate-Limit-Remaining"))
	assert.Equal(t, "600", resp.Header.Get("X-Rate-Limit-Limit"))
	assert.Equal(t, strconv.FormatInt(reset.Unix(), 10), resp.Header.Get("X-Rate-Limit-Reset"))
	assert.Equal(t, "30", resp.Header.Get("Retry-After"))
}

func TestFaultsQueueInOrder(t *testing.T) {
	srv := oktatest.New(t)
	require.NoError(t, srv.InjectFault("listAgentPools", oktatest.Fault{Status: http.StatusTooManyRequests, Times: 2}))
	require.NoError(t, srv.InjectFault("listAgentPools", oktatest.Fault{Status: http.StatusInternalServerError, Times: 1}))

	var statuses []int
	for range 4 {
		resp, _ := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")
		statuses = append(statuses, resp.StatusCode)
	}

	assert.Equal(t, []int{429, 429, 500, 200}, statuses)
}

func TestFaultDelayThenNormalAnswer(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	require.NoError(t, srv.InjectFault("listAgentPools", oktatest.Fault{Delay: 50 * time.Millisecond, Times: 1}))

	start := time.Now()
	resp, _ := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")

	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
}

func TestFaultDelayEndsWhenClientGivesUp(t *testing.T) {
	srv := oktatest.New(t)
	require.NoError(t, srv.InjectFault("listAgentPools", oktatest.Fault{Delay: time.Minute, Status: http.StatusOK}))

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/v1/agentPools", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "SSWS "+srv.APIToken())

	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.ErrorIs(t, err, context.DeadlineExceeded)

	require.Eventually(t, func() bool { return len(srv.Requests()) == 1 }, 5*time.Second, 5*time.Millisecond)
	assert.Equal(t, 0, srv.Requests()[0].Status, "nothing was written")
}

func TestFaultAfterAuthentication(t *testing.T) {
	srv := oktatest.New(t)
	require.NoError(t, srv.InjectFault("listAgentPools", oktatest.Fault{Status: http.StatusInternalServerError, Times: 1}))

	resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "", withoutAuth())
	requireOktaError(t, resp, body, http.StatusUnauthorized, "E0000011")

	resp, _ = call(t, srv, http.MethodGet, "/api/v1/agentPools", "")
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode, "the unauthenticated request did not use the fault")
}

func TestInjectFaultRejectsBadFaults(t *testing.T) {
	srv := oktatest.New(t)

	assert.ErrorContains(t, srv.InjectFault("listPools", oktatest.Fault{Status: 500}), `unknown operation "listPools"`)
	assert.ErrorContains(t, srv.InjectFault("listAgentPools", oktatest.Fault{Status: 99}), "99")
	assert.ErrorContains(t, srv.InjectFault("listAgentPools", oktatest.Fault{Status: 100}), "100")
	assert.ErrorContains(t, srv.InjectFault("listAgentPools", oktatest.Fault{Times: -1}), "negative")
	assert.ErrorContains(t, srv.InjectFault("listAgentPools", oktatest.Fault{Delay: -time.Second}), "negative")
}

func TestFaultErrorBodiesByStatus(t *testing.T) {
	codes := map[int]string{
		http.StatusBadRequest:          "E0000001",
		http.StatusUnauthorized:        "E0000011",
		http.StatusForbidden:           "E0000006",
		http.StatusNotFound:            "E0000007",
		http.StatusTooManyRequests:     "E0000047",
		http.StatusInternalServerError: "E0000009",
		http.StatusGatewayTimeout:      "E0000009",
	}
	for status, code := range codes {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv := oktatest.New(t)
			require.NoError(t, srv.InjectFault("listAgentPools", oktatest.Fault{Status: status}))

			resp, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")

			requireOktaError(t, resp, body, status, code)
		})
	}
}
