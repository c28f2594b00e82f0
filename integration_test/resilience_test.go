package integration_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/auth"
	"github.com/seed570a29ac/agentpools/client"
	"github.com/seed570a29ac/agentpools/oktatest"
)

// waitClock is a client.Clock whose waits take no real time. Each wait is
// recorded and moves this clock and the linked clocks forward, so that a
// fake org on one of those clocks observes the time pass.
type waitClock struct {
	mu     sync.Mutex
	now    time.Time
	waits  []time.Duration
	linked []*fakeClock
}

func (c *waitClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *waitClock) Wait(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	if d > 0 {
		c.now = c.now.Add(d)
		for _, other := range c.linked {
			other.Advance(d)
		}
	}
	c.mu.Unlock()
	return ctx.Err()
}

func (c *waitClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// fakeOrgSecond is the time of the fake org's clock in the tests below: a
// whole second, so that its Date header has no rounding.
var fakeOrgSecond = time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC)

// newSkewedOrg starts the fake org on a clock at fakeOrgSecond and a client
// whose own clock runs skew ahead of it. Waits of the client move both.
func newSkewedOrg(t *testing.T, skew time.Duration, opts ...client.Option) (*oktatest.Server, *client.Client, *waitClock) {
	t.Helper()

	orgClock := &fakeClock{now: fakeOrgSecond}
	fake := oktatest.New(t, oktatest.WithSampleData(), oktatest.WithClock(orgClock.Now))
	clientClock := &waitClock{now: fakeOrgSecond.Add(skew), linked: []*fakeClock{orgClock}}
	all := append([]client.Option{
		client.WithCredentials(auth.APIToken(fake.APIToken())),
		client.WithClock(clientClock),
	}, opts...)
	c, err := client.New(fake.URL, all...)
	require.NoError(t, err)
	return fake, c, clientClock
}

func statusesOf(fake *oktatest.Server, operationID string) []int {
	var statuses []int
	for _, r := range fake.Requests() {
		if r.OperationID == operationID {
			statuses = append(statuses, r.Status)
		}
	}
	return statuses
}

func TestRateLimitWaitUsesServerDate(t *testing.T) {
	// The client's clock runs an hour ahead of the org, so on that clock the
	// reset is in the past and the wait would be a short backoff. Measured
	// from the Date header, the wait is the rest of the window.
	for _, pacing := range []bool{false, true} {
		t.Run("pacing "+strconv.FormatBool(pacing), func(t *testing.T) {
			fake, c, clock := newSkewedOrg(t, time.Hour, client.WithPacing(pacing))
			fake.SetRateLimit(1, time.Minute)
			poolID := deref(fake.Pools()[0].Id)

			_, err := c.GetSettings(ctx(t), poolID)
			require.NoError(t, err)
			_, err = c.GetSettings(ctx(t), poolID)
			require.NoError(t, err)

			waits := clock.Waits()
			require.Len(t, waits, 1)
			assert.GreaterOrEqual(t, waits[0], time.Minute, "the window resets a minute after the first request")
			assert.Less(t, waits[0], time.Minute+time.Second, "at most one second of jitter")
			if pacing {
				assert.Equal(t, []int{http.StatusOK, http.StatusOK}, statusesOf(fake, "getAgentPoolsUpdateSettings"), "pacing avoids the 429")
			} else {
				assert.Equal(t, []int{http.StatusOK, http.StatusTooManyRequests, http.StatusOK}, statusesOf(fake, "getAgentPoolsUpdateSettings"))
			}
		})
	}
}

func TestPacingIsPerEndpoint(t *testing.T) {
	fake, c, clock := newSkewedOrg(t, 0)
	fake.SetRateLimit(1, time.Minute)
	poolID := deref(fake.Pools()[0].Id)

	_, err := c.GetSettings(ctx(t), poolID)
	require.NoError(t, err)
	_, err = c.ListUpdates(ctx(t), poolID, nil)
	require.NoError(t, err)

	assert.Empty(t, clock.Waits(), "another endpoint has its own window")
}

// rateLimitedOnce returns a server whose responses all carry
// X-Rate-Limit-Remaining 0 and the given reset. The first response has
// firstStatus, and the others are the update settings of a pool. The
// counter counts the requests.
func rateLimitedOnce(t *testing.T, reset string, firstStatus int) (*httptest.Server, *int) {
	t.Helper()

	var mu sync.Mutex
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()

		w.Header().Set("Date", fakeOrgSecond.Format(http.TimeFormat))
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Rate-Limit-Limit", "100")
		w.Header().Set("X-Rate-Limit-Remaining", "0")
		w.Header().Set("X-Rate-Limit-Reset", reset)
		if n == 1 && firstStatus == http.StatusTooManyRequests {
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}`)
			return
		}
		_, _ = io.WriteString(w, `{"agentType":"AD","poolId":"p"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestRateLimitFarResetNeverRetriesAtOnce(t *testing.T) {
	// 99999999999 is in the year 5138: a valid epoch second, but more than
	// the 292 years that a time.Duration holds from the response's Date.
	const farReset = "99999999999"

	t.Run("429", func(t *testing.T) {
		srv, calls := rateLimitedOnce(t, farReset, http.StatusTooManyRequests)
		clock := &waitClock{now: fakeOrgSecond}
		c, err := client.New(srv.URL, client.WithCredentials(auth.APIToken("test-token-1")), client.WithClock(clock))
		require.NoError(t, err)

		_, err = c.GetSettings(ctx(t), "p")

		for _, wait := range clock.Waits() {
			assert.Positive(t, wait, "a wait after a 429 must never be negative")
		}
		assert.Equal(t, 1, *calls, "the reset is beyond the retry budget, so no retry may follow")
		assert.True(t, client.IsRateLimited(err), "got %v", err)
	})

	t.Run("pacing", func(t *testing.T) {
		srv, calls := rateLimitedOnce(t, farReset, http.StatusOK)
		clock := &waitClock{now: fakeOrgSecond}
		c, err := client.New(srv.URL, client.WithCredentials(auth.APIToken("test-token-1")), client.WithClock(clock))
		require.NoError(t, err)

		_, err = c.GetSettings(ctx(t), "p")
		require.NoError(t, err)
		_, err = c.GetSettings(ctx(t), "p")

		assert.True(t, client.IsRateLimited(err), "the used-up window outlasts the retry budget; got %v", err)
		for _, wait := range clock.Waits() {
			assert.Positive(t, wait, "a pacing wait must never be negative")
		}
		assert.Equal(t, 1, *calls, "the second request must not be sent")
	})
}

func TestRetriesExhaustedOnFakeOrg(t *testing.T) {
	fake, c, clock := newSkewedOrg(t, 0, client.WithRetry(client.RetryPolicy{MaxAttempts: 3}))
	poolID := deref(fake.Pools()[0].Id)
	require.NoError(t, fake.InjectFault("getAgentPoolsUpdateSettings", oktatest.Fault{Status: http.StatusServiceUnavailable}))

	_, err := c.GetSettings(ctx(t), poolID)

	var apiErr *client.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
	assert.Equal(t, "E0000009", apiErr.Code)
	assert.NotEmpty(t, apiErr.RequestID)
	assert.Equal(t, 3, apiErr.Attempts)
	assert.Equal(t, int64(600), apiErr.RateLimit.Limit, "the last response's rate-limit values")
	assert.Equal(t, int64(597), apiErr.RateLimit.Remaining)
	assert.Contains(t, err.Error(), "3 attempts, attempt limit of 3 reached")
	assert.Contains(t, err.Error(), "request id "+apiErr.RequestID)
	assert.Len(t, clock.Waits(), 2)
	for _, wait := range clock.Waits() {
		assert.Positive(t, wait, "backoff is never an immediate retry")
	}
}

func TestServerErrorOnCreateNotRetried(t *testing.T) {
	fake, c, clock := newSkewedOrg(t, 0)
	pool := fake.Pools()[0]
	poolID := deref(pool.Id)
	before := len(fake.Updates(poolID))
	require.NoError(t, fake.InjectFault("createAgentPoolsUpdate", oktatest.Fault{Status: http.StatusBadGateway, Times: 1}))

	_, err := c.CreateUpdate(ctx(t), poolID, api.AgentPoolUpdate{Name: ptr("ad hoc"), AgentType: pool.Type})

	var apiErr *client.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 1, apiErr.Attempts)
	assert.Equal(t, []int{http.StatusBadGateway}, statusesOf(fake, "createAgentPoolsUpdate"))
	assert.Empty(t, clock.Waits())
	assert.Len(t, fake.Updates(poolID), before)
}

func TestRateLimitedCreateSendsSameBody(t *testing.T) {
	fake, c, _ := newSkewedOrg(t, 0)
	pool := fake.Pools()[0]
	poolID := deref(pool.Id)
	before := len(fake.Updates(poolID))
	require.NoError(t, fake.InjectFault("createAgentPoolsUpdate", oktatest.Fault{
		Status: http.StatusTooManyRequests, Times: 2, RateLimitReset: fakeOrgSecond.Add(5 * time.Second),
	}))

	_, err := c.CreateUpdate(ctx(t), poolID, api.AgentPoolUpdate{Name: ptr("ad hoc"), AgentType: pool.Type})
	require.NoError(t, err)

	var bodies []string
	for _, r := range fake.Requests() {
		if r.OperationID == "createAgentPoolsUpdate" {
			bodies = append(bodies, string(r.Body))
		}
	}
	require.Len(t, bodies, 3)
	assert.NotEmpty(t, bodies[0])
	assert.Equal(t, bodies[0], bodies[1])
	assert.Equal(t, bodies[0], bodies[2])
	assert.Len(t, fake.Updates(poolID), before+1, "one update is created")
}

func TestNonJSONErrorsFromFakeOrg(t *testing.T) {
	fake, c, _ := newSkewedOrg(t, 0, client.WithRetry(client.RetryPolicy{MaxAttempts: 1}))
	poolID := deref(fake.Pools()[0].Id)

	t.Run("HTML 502", func(t *testing.T) {
		page := "<html><head><title>502 Bad Gateway</title></head><body>" + strings.Repeat("proxy ", 200) + "</body></html>"
		require.NoError(t, fake.InjectFault("getAgentPoolsUpdateSettings", oktatest.Fault{
			Status: http.StatusBadGateway, Times: 1,
			Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(page),
		}))

		_, err := c.GetSettings(ctx(t), poolID)

		var apiErr *client.Error
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
		assert.True(t, strings.HasPrefix(apiErr.Body, "<html><head><title>502 Bad Gateway"))
		assert.LessOrEqual(t, len(apiErr.Body), 515, "the body is truncated")
		assert.Contains(t, err.Error(), `502 (HTML body: "<html>`)
		assert.NotContains(t, err.Error(), "\n")
	})

	t.Run("empty 403 with WWW-Authenticate", func(t *testing.T) {
		require.NoError(t, fake.InjectFault("getAgentPoolsUpdateSettings", oktatest.Fault{
			Status: http.StatusForbidden, Times: 1, Body: []byte{},
			Header: http.Header{"Www-Authenticate": {`Bearer realm="IdpMyAccountAPI", error="insufficient_scope", error_description="The access token provided does not contain the required scopes."`}},
		}))

		_, err := c.GetSettings(ctx(t), poolID)

		var apiErr *client.Error
		require.ErrorAs(t, err, &apiErr)
		assert.True(t, client.IsForbidden(err))
		assert.Equal(t, "insufficient_scope", apiErr.AuthError)
		assert.NotEmpty(t, apiErr.RequestID)
		assert.Contains(t, err.Error(), "403 (empty body) (auth error insufficient_scope")
	})
}

func TestPageItemsMissingFieldsKept(t *testing.T) {
	fake := oktatest.New(t, oktatest.WithoutResponseValidation())
	fake.AddPool(api.AgentPool{Id: ptr("0oaFull0000000000001"), Name: ptr("full"), Type: ptr(api.AD)})
	fake.AddPool(api.AgentPool{Id: ptr("0oaBare0000000000002")})
	fake.AddPool(api.AgentPool{
		Id: ptr("0oaNew00000000000003"), Name: ptr("newer"), Type: ptr(api.AgentType("scim")),
		OperationalStatus: ptr(api.OperationalStatus("Recovering")),
	})
	c, err := client.New(fake.URL, client.WithCredentials(auth.APIToken(fake.APIToken())))
	require.NoError(t, err)

	got := map[string]api.AgentPool{}
	for pool, err := range c.ListPools(ctx(t), nil) {
		require.NoError(t, err)
		got[deref(pool.Id)] = pool
	}

	require.Len(t, got, 3, "no item of the page is dropped")
	assert.Nil(t, got["0oaBare0000000000002"].Name)
	assert.Equal(t, api.AgentType("scim"), deref(got["0oaNew00000000000003"].Type), "an unknown type keeps its spelling")
	assert.Equal(t, api.OperationalStatus("Recovering"), deref(got["0oaNew00000000000003"].OperationalStatus))
	assert.False(t, deref(got["0oaNew00000000000003"].Type).Valid())
}

// oddUpdate is an update with a type and a status in another casing than
// the spec's, timestamps in every form and members this client has no name
// for.
const oddUpdate = `{
	"id": "upd1",
	"_links": {"self": {"href": "https://acme.okta.com/api/v1/agentPools/p/updates/upd1"}},
	"agentType": "ad",
	"name": "Monthly",
	"status": "QUEUED",
	"rolloutStrategy": {"waves": [1, 5, 25], "pauseOnError": true},
	"schedule": {"cron": "0 8 ? * 6#3", "lastUpdated": "", "blackout": ["2025-12-24"]},
	"agents": [
		{"id": "a1", "name": "dc01", "lastConnection": 1733313600000, "updateStatus": "Queued", "site": {"region": "eu"}},
		{"id": "a2", "name": "dc02", "lastConnection": "2024-11-30T22:04:11.000+0000"},
		{"id": "a3", "name": "dc03", "lastConnection": null},
		{"id": "a4", "name": "dc04"}
	]
}`

func TestEditRoundTripKeepsServerFields(t *testing.T) {
	var mu sync.Mutex
	var posted []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			posted = append(posted, string(body))
			mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, oddUpdate)
	}))
	defer srv.Close()
	c, err := client.New(srv.URL, client.WithCredentials(auth.APIToken("test-token-1")))
	require.NoError(t, err)

	u, err := c.GetUpdate(ctx(t), "p", "upd1")
	require.NoError(t, err)
	assert.Equal(t, api.AgentUpdateJobStatus("QUEUED"), deref(u.Status))
	u.Name = ptr("Monthly, renamed")
	_, err = c.EditUpdate(ctx(t), "p", "upd1", *u)
	require.NoError(t, err)

	var want map[string]any
	require.NoError(t, json.Unmarshal([]byte(oddUpdate), &want))
	delete(want, "id")
	delete(want, "_links")
	want["name"] = "Monthly, renamed"
	for _, agent := range want["agents"].([]any) {
		delete(agent.(map[string]any), "id")
	}
	wantJSON, err := json.Marshal(want)
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, posted, 1)
	assert.JSONEq(t, string(wantJSON), posted[0], "everything but the read-only members goes back as sent")
}

func TestReservedIDsOnFakeOrg(t *testing.T) {
	fake := oktatest.New(t)
	const poolID = "a/b?c#d"
	fake.AddPool(api.AgentPool{Id: ptr(poolID), Name: ptr("reserved"), Type: ptr(api.AD),
		Agents: &[]api.Agent{{Name: ptr("dc01")}}})
	c, err := client.New(fake.URL, client.WithCredentials(auth.APIToken(fake.APIToken())))
	require.NoError(t, err)

	settings, err := c.GetSettings(ctx(t), poolID)
	require.NoError(t, err)
	created, err := c.CreateUpdate(ctx(t), poolID, api.AgentPoolUpdate{Name: ptr("x"), AgentType: ptr(api.AD)})
	require.NoError(t, err)
	_, err = c.PauseUpdate(ctx(t), poolID, deref(created.Id))
	require.NoError(t, err)

	assert.Equal(t, poolID, deref(settings.PoolId))
	assert.Len(t, fake.Updates(poolID), 1)
	for _, r := range fake.Requests() {
		assert.True(t, strings.HasPrefix(r.Path, "/api/v1/agentPools/a/b?c#d/updates"), "one path segment: %s", r.Path)
		assert.Empty(t, r.RawQuery, "? in an ID must not start a query")
	}
}

func TestEmptyIDsSendNothing(t *testing.T) {
	fake := oktatest.New(t, oktatest.WithSampleData())
	c, err := client.New(fake.URL, client.WithCredentials(auth.APIToken(fake.APIToken())))
	require.NoError(t, err)
	update := api.AgentPoolUpdate{Name: ptr("x"), AgentType: ptr(api.AD)}
	settings := api.AgentPoolUpdateSettingRequest{AgentType: api.AD}

	calls := map[string]func() error{
		"ListUpdates":      func() error { _, err := c.ListUpdates(ctx(t), "", nil); return err },
		"CreateUpdate":     func() error { _, err := c.CreateUpdate(ctx(t), "", update); return err },
		"GetUpdate":        func() error { _, err := c.GetUpdate(ctx(t), "p", ""); return err },
		"EditUpdate":       func() error { _, err := c.EditUpdate(ctx(t), "", "u", update); return err },
		"DeleteUpdate":     func() error { return c.DeleteUpdate(ctx(t), "p", "") },
		"GetSettings":      func() error { _, err := c.GetSettings(ctx(t), ""); return err },
		"EditSettings":     func() error { _, err := c.EditSettings(ctx(t), "", settings); return err },
		"ActivateUpdate":   func() error { _, err := c.ActivateUpdate(ctx(t), "", "u"); return err },
		"DeactivateUpdate": func() error { _, err := c.DeactivateUpdate(ctx(t), "p", ""); return err },
		"PauseUpdate":      func() error { _, err := c.PauseUpdate(ctx(t), "", "u"); return err },
		"ResumeUpdate":     func() error { _, err := c.ResumeUpdate(ctx(t), "p", ""); return err },
		"RetryUpdate":      func() error { _, err := c.RetryUpdate(ctx(t), "", "u"); return err },
		"StopUpdate":       func() error { _, err := c.StopUpdate(ctx(t), "p", ""); return err },
		"WaitUpdate":       func() error { _, err := c.WaitUpdate(ctx(t), "", "u", nil); return err },
	}

	for name, call := range calls {
		err := call()
		require.Error(t, err, name)
		assert.Regexp(t, `^client: (poolID|updateID) is empty`, err.Error(), name)
	}
	assert.Empty(t, fake.Requests(), "no request is sent for an empty ID")
}

func TestCancelDuringRateLimitWait(t *testing.T) {
	fake := oktatest.New(t, oktatest.WithSampleData())
	c, err := client.New(fake.URL, client.WithCredentials(auth.APIToken(fake.APIToken())),
		client.WithRetry(client.RetryPolicy{MaxWait: time.Hour}))
	require.NoError(t, err)
	poolID := deref(fake.Pools()[0].Id)
	require.NoError(t, fake.InjectFault("getAgentPoolsUpdateSettings", oktatest.Fault{
		Status: http.StatusTooManyRequests, RateLimitReset: time.Now().Add(30 * time.Minute),
	}))
	callCtx, cancel := context.WithCancel(ctx(t))
	time.AfterFunc(50*time.Millisecond, cancel)

	done := make(chan error, 1)
	go func() {
		_, err := c.GetSettings(callCtx, poolID)
		done <- err
	}()

	select {
	case err := <-done:
		assert.True(t, errors.Is(err, context.Canceled), "got %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("the wait for the rate-limit reset did not stop with the context")
	}
	assert.Equal(t, []int{http.StatusTooManyRequests}, statusesOf(fake, "getAgentPoolsUpdateSettings"))
}
