package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/auth"
)

// testToken is the API token that test clients send.
const testToken = "00test-api-token"

// fakeClock is a Clock whose waits return at once and move its time on.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	waits  []time.Duration
	onWait func(d time.Duration) // called before a wait ends, if set
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Wait(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	onWait := c.onWait
	c.mu.Unlock()

	if onWait != nil {
		onWait(d)
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return nil
}

// Waits returns the waits so far.
func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// halfRandom makes jitter exactly half of its range.
func halfRandom() float64 { return 0.5 }

// newTestClient returns a Client for srv with an API token, the fake clock
// and jitter fixed at half its range.
func newTestClient(t *testing.T, srv *httptest.Server, clock *fakeClock, opts ...Option) *Client {
	t.Helper()

	all := []Option{
		WithCredentials(testCredentials()),
		WithClock(clock),
		withRandom(halfRandom),
	}
	all = append(all, opts...)
	c, err := New(srv.URL, all...)
	require.NoError(t, err)
	return c
}

// writeOktaError writes an Okta error object with status.
func writeOktaError(w http.ResponseWriter, status int, code, summary string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"errorCode":"` + code + `","errorSummary":"` + summary + `","errorLink":"` + code + `","errorId":"oae123","errorCauses":[]}`))
}

// epoch formats t as UTC epoch seconds for X-Rate-Limit-Reset.
func epoch(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// sampleUpdate is the JSON of an update as the server sends it.
const sampleUpdate = `{"id":"upd1","agentType":"AD","enabled":true,"name":"Monthly","status":"Scheduled","targetVersion":"3.20.0"}`

// counter counts the requests a handler receives.
type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) inc() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	return c.n
}

func (c *counter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n = 0
}

func (c *counter) get() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// testCredentials returns the API token credentials of the test clients.
func testCredentials() auth.Credentials { return auth.APIToken(testToken) }

// sampleUpdateModel returns sampleUpdate decoded.
func sampleUpdateModel(t *testing.T) api.AgentPoolUpdate {
	t.Helper()

	var u api.AgentPoolUpdate
	require.NoError(t, json.Unmarshal([]byte(sampleUpdate), &u))
	return u
}

func mustParseURL(t *testing.T, raw string) *url.URL {
	t.Helper()

	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}

// settingsRequest returns settings to send for agentType.
func settingsRequest(agentType api.AgentType) api.AgentPoolUpdateSettingRequest {
	channel := api.GA
	return api.AgentPoolUpdateSettingRequest{AgentType: agentType, ReleaseChannel: &channel}
}

// testCredentialsWith returns API token credentials with token.
func testCredentialsWith(token string) auth.Credentials { return auth.APIToken(token) }
