package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
)

// serveJSON returns a server that responds to every GET with body and records
// the body of every POST.
func serveJSON(t *testing.T, body string) (*httptest.Server, func() []string) {
	t.Helper()

	var mu sync.Mutex
	var posted []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			posted = append(posted, string(b))
			mu.Unlock()
			w.WriteHeader(http.StatusCreated)
		}
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)

	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), posted...)
	}
}

func TestDecodeUnknownEnums(t *testing.T) {
	srv, _ := serveJSON(t, `[{"id":"pool1","type":"SCIM","operationalStatus":"RECOVERING",
		"agents":[{"id":"a1","type":"SCIM","updateStatus":"Queued","operationalStatus":"RECOVERING"}]}]`)
	c := newTestClient(t, srv, newFakeClock())

	page, err := c.ListPoolsPage(context.Background(), nil)

	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	pool := page.Items[0]
	assert.Equal(t, api.AgentType("SCIM"), *pool.Type)
	assert.False(t, pool.Type.Valid())
	assert.Equal(t, api.OperationalStatus("RECOVERING"), *pool.OperationalStatus)
	agent := (*pool.Agents)[0]
	assert.Equal(t, api.AgentUpdateInstanceStatus("Queued"), *agent.UpdateStatus)
}

func TestDecodeUnknownJobStatusAndChannel(t *testing.T) {
	srv, _ := serveJSON(t, `{"agentType":"AD","releaseChannel":"ALPHA","poolId":"p","status":"Queued"}`)
	c := newTestClient(t, srv, newFakeClock())

	settings, err := c.GetSettings(context.Background(), "p")
	require.NoError(t, err)
	update, err := c.GetUpdate(context.Background(), "p", "u")
	require.NoError(t, err)

	assert.Equal(t, api.ReleaseChannel("ALPHA"), *settings.ReleaseChannel)
	assert.Equal(t, api.AgentUpdateJobStatus("Queued"), *update.Status)
}

func TestDecodeLastConnectionForms(t *testing.T) {
	want := time.Date(2024, 12, 4, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		value      string // JSON, or "" for an absent member
		wantTime   time.Time
		wantNull   bool
		wantAbsent bool
	}{
		{name: "epoch milliseconds", value: "1733313600000", wantTime: want},
		{name: "RFC 3339 with milliseconds", value: `"2024-12-04T12:00:00.000Z"`, wantTime: want},
		{name: "RFC 3339 with offset", value: `"2024-12-04T13:00:00+01:00"`, wantTime: want},
		{name: "offset without colon", value: `"2024-12-04T12:00:00.000+0000"`, wantTime: want},
		{name: "null", value: "null", wantNull: true},
		{name: "empty string", value: `""`},
		{name: "absent", value: "", wantAbsent: true},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			agent := `{"id":"a1","name":"dc01"}`
			if tt.value != "" {
				agent = `{"id":"a1","name":"dc01","lastConnection":` + tt.value + `}`
			}
			srv, _ := serveJSON(t, `{"id":"u","agents":[`+agent+`]}`)
			c := newTestClient(t, srv, newFakeClock())

			u, err := c.GetUpdate(context.Background(), "p", "u")

			require.NoError(t, err)
			got := (*u.Agents)[0].LastConnection
			assert.True(t, got.Time.Equal(tt.wantTime), "got %v, want %v", got.Time, tt.wantTime)
			assert.Equal(t, tt.wantNull, got.IsNull())
			assert.Equal(t, tt.wantAbsent, got.IsZero())
		})
	}
}

func TestDecodeLastUpdatedForms(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  time.Time
		valid bool
	}{
		{"RFC 3339", `"2024-11-16T15:02:47.000Z"`, time.Date(2024, 11, 16, 15, 2, 47, 0, time.UTC), true},
		{"null", "null", time.Time{}, false},
		{"empty string", `""`, time.Time{}, false},
		{"absent", "", time.Time{}, false},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			schedule := `{"cron":"0 8 ? * 6#3"}`
			if tt.value != "" {
				schedule = `{"cron":"0 8 ? * 6#3","lastUpdated":` + tt.value + `}`
			}
			srv, _ := serveJSON(t, `[{"id":"u","schedule":`+schedule+`}]`)
			c := newTestClient(t, srv, newFakeClock())

			updates, err := c.ListUpdates(context.Background(), "p", nil)

			require.NoError(t, err)
			require.Len(t, updates, 1)
			got := updates[0].Schedule.LastUpdated
			assert.True(t, got.Time.Equal(tt.want))
			assert.Equal(t, tt.valid, got.Valid())
		})
	}
}

func TestDecodeMissingFields(t *testing.T) {
	srv, _ := serveJSON(t, `{}`)
	c := newTestClient(t, srv, newFakeClock())

	u, err := c.GetUpdate(context.Background(), "p", "u")
	require.NoError(t, err)
	s, err := c.GetSettings(context.Background(), "p")
	require.NoError(t, err)

	assert.Nil(t, u.Id)
	assert.Nil(t, u.Agents)
	assert.Nil(t, u.Schedule)
	assert.Equal(t, api.AgentType(""), s.AgentType)
}

// fetchedUpdate is an update as a newer Okta might send it: with members
// that api does not define, at every level, and timestamps in every form.
const fetchedUpdate = `{
	"id": "upd1",
	"_links": {"self": {"href": "https://acme.okta.com/api/v1/agentPools/p/updates/upd1"}},
	"agentType": "AD",
	"enabled": true,
	"name": "Monthly",
	"status": "Scheduled",
	"newFeature": {"mode": "canary", "share": 0.1},
	"schedule": {"cron": "0 8 ? * 6#3", "timezone": "America/New_York", "lastUpdated": null, "window": "night"},
	"agents": [
		{"id": "a1", "_links": {"self": {"href": "x"}}, "name": "dc01", "lastConnection": 1733313600000, "region": "eu"},
		{"id": "a2", "name": "dc02", "lastConnection": "2024-11-30T22:04:11.000Z"},
		{"id": "a3", "name": "dc03", "lastConnection": null}
	]
}`

func TestUnknownFieldsRoundTrip(t *testing.T) {
	srv, posted := serveJSON(t, fetchedUpdate)
	c := newTestClient(t, srv, newFakeClock())
	ctx := context.Background()

	u, err := c.GetUpdate(ctx, "p", "upd1")
	require.NoError(t, err)
	name := "Monthly, renamed"
	u.Name = &name
	_, err = c.EditUpdate(ctx, "p", "upd1", *u)
	require.NoError(t, err)

	want := `{
		"agentType": "AD",
		"enabled": true,
		"name": "Monthly, renamed",
		"status": "Scheduled",
		"newFeature": {"mode": "canary", "share": 0.1},
		"schedule": {"cron": "0 8 ? * 6#3", "timezone": "America/New_York", "lastUpdated": null, "window": "night"},
		"agents": [
			{"name": "dc01", "lastConnection": 1733313600000, "region": "eu"},
			{"name": "dc02", "lastConnection": "2024-11-30T22:04:11.000Z"},
			{"name": "dc03", "lastConnection": null}
		]
	}`
	require.Len(t, posted(), 1)
	assert.JSONEq(t, want, posted()[0])
	assert.Equal(t, "upd1", *u.Id, "the caller's update must keep its ID")
	assert.Equal(t, "a1", *(*u.Agents)[0].Id, "the caller's agents must keep their IDs")
}

func TestEditSettingsSendsRequestMembers(t *testing.T) {
	srv, posted := serveJSON(t, `{"agentType":"AD","poolId":"p","releaseChannel":"GA","futureFlag":true}`)
	c := newTestClient(t, srv, newFakeClock())
	req := settingsRequest(api.AD)
	req.AdditionalProperties = map[string]json.RawMessage{"poolId": json.RawMessage(`"p"`), "futureFlag": json.RawMessage(`true`)}

	got, err := c.EditSettings(context.Background(), "p", req)

	require.NoError(t, err)
	assert.Equal(t, "p", *got.PoolId)
	require.Len(t, posted(), 1)
	assert.JSONEq(t, `{"agentType":"AD","releaseChannel":"GA","futureFlag":true}`, posted()[0])
	assert.Contains(t, req.AdditionalProperties, "poolId", "the caller's settings must not change")
}
