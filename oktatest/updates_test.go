package oktatest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/oktatest"
)

func updatesPath(poolID string) string {
	return "/api/v1/agentPools/" + poolID + "/updates"
}

func TestListAgentPoolsUpdates(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "corp.example.com")

	tests := []struct {
		query string
		names []string
	}{
		{"", []string{"Monthly AD agent update", "Fix for dc02"}},
		{"?scheduled=true", []string{"Monthly AD agent update"}},
		{"?scheduled=false", []string{"Fix for dc02"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, body := call(t, srv, http.MethodGet, updatesPath(*pool.Id)+tt.query, "")

			require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", body)
			updates := decode[[]api.AgentPoolUpdate](t, body)
			var names []string
			for _, u := range updates {
				names = append(names, *u.Name)
				require.NotNil(t, u.Links)
				assert.Equal(t, srv.URL+updatesPath(*pool.Id)+"/"+*u.Id, u.Links.Self.Href)
			}
			assert.Equal(t, tt.names, names)
		})
	}
}

func TestListAgentPoolsUpdatesUnknownPool(t *testing.T) {
	srv := oktatest.New(t)

	resp, body := call(t, srv, http.MethodGet, updatesPath("0oaUNKNOWN0000000000"), "")

	e := requireOktaError(t, resp, body, http.StatusNotFound, "E0000007")
	assert.Equal(t, "Not found: Resource not found: 0oaUNKNOWN0000000000 (AgentPool)", *e.ErrorSummary)
}

func TestCreateAgentPoolsUpdateScheduled(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "apac.corp.example.com")

	resp, body := call(t, srv, http.MethodPost, updatesPath(*pool.Id), `{
		"id": "0oaCLIENTSETID000000",
		"status": "Success",
		"_links": {"self": {"href": "https://evil.example/"}},
		"agentType": "AD",
		"name": "Monthly",
		"notifyAdmin": true,
		"schedule": {"cron": "0 8 ? * 6#3", "delay": 0, "duration": 120, "timezone": "America/New_York",
			"lastUpdated": "2019-08-24T14:15:22Z"},
		"targetVersion": "3.20.0",
		"agents": [{"name": "dc01.apac.corp.example.com", "type": "AD"}]
	}`)

	require.Equal(t, http.StatusCreated, resp.StatusCode, "body: %s", body)
	u := decode[api.AgentPoolUpdate](t, body)
	require.NotNil(t, u.Id)
	assert.NotEqual(t, "0oaCLIENTSETID000000", *u.Id)
	assert.Len(t, *u.Id, 20)
	assert.Equal(t, api.AgentUpdateJobStatusScheduled, *u.Status)
	assert.True(t, *u.Enabled, "enabled defaults to true")
	assert.True(t, u.Schedule.LastUpdated.IsNull(), "lastUpdated is null until the update finishes")
	assert.Equal(t, srv.URL+updatesPath(*pool.Id)+"/"+*u.Id, u.Links.Self.Href)
	require.Len(t, *u.Agents, 1)
	agent := (*u.Agents)[0]
	assert.Equal(t, (*pool.Agents)[0].Id, agent.Id, "agents are matched by name and returned in full")
	assert.Equal(t, api.AgentUpdateInstanceStatusScheduled, *agent.UpdateStatus)

	stored, ok := srv.Update(*pool.Id, *u.Id)
	require.True(t, ok)
	assert.Equal(t, "Monthly", *stored.Name)
	poolAgent := (*samplePool(t, srv, "apac.corp.example.com").Agents)[0]
	assert.Equal(t, api.AgentUpdateInstanceStatusScheduled, *poolAgent.UpdateStatus)
}

func TestCreateAgentPoolsUpdateAdHoc(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "acquired.example.org")

	resp, body := call(t, srv, http.MethodPost, updatesPath(*pool.Id), `{"name": "Now", "targetVersion": "3.20.0", "enabled": false}`)

	require.Equal(t, http.StatusCreated, resp.StatusCode, "body: %s", body)
	u := decode[api.AgentPoolUpdate](t, body)
	assert.Equal(t, api.AgentUpdateJobStatusInProgress, *u.Status)
	assert.False(t, *u.Enabled)
	assert.Equal(t, api.AD, *u.AgentType, "agentType defaults to the pool's type")
	assert.Nil(t, u.Schedule)
	require.Len(t, *u.Agents, 4, "without agents the update covers the whole pool")
	for _, a := range *u.Agents {
		assert.Equal(t, api.AgentUpdateInstanceStatusInProgress, *a.UpdateStatus)
	}
}

func TestCreateAgentPoolsUpdateRejects(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		summary string
		cause   string
	}{
		{"wrong agent type", `{"agentType": "LDAP"}`, "Api validation failed: agentType",
			"agentType: LDAP does not match type AD of pool"},
		{"unknown agent", `{"agents": [{"name": "nope.example.com"}]}`, "Api validation failed: agents",
			`has no agent with id "" or name "nope.example.com"`},
		{"agent of another pool", `{"agents": [{"name": "dc01.corp.example.com", "poolId": "0oaOTHER00000000000"}]}`,
			"Api validation failed: agents", "agents[0].poolId: 0oaOTHER00000000000 is not the pool of this update"},
		{"weekly cron", `{"schedule": {"cron": "0 8 * * 1"}}`, "Api validation failed: schedule",
			"schedule.cron: Only day-of-month and nth-weekday schedules are supported."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := oktatest.New(t, oktatest.WithSampleData())
			pool := samplePool(t, srv, "corp.example.com")
			before := len(srv.Updates(*pool.Id))

			resp, body := call(t, srv, http.MethodPost, updatesPath(*pool.Id), tt.body)

			e := requireOktaError(t, resp, body, http.StatusBadRequest, "E0000001")
			assert.Equal(t, tt.summary, *e.ErrorSummary)
			require.Len(t, causes(e), 1)
			assert.Contains(t, causes(e)[0], tt.cause)
			assert.Len(t, srv.Updates(*pool.Id), before, "a rejected update is not stored")
		})
	}
}

func TestCreateAgentPoolsUpdateUnknownPool(t *testing.T) {
	srv := oktatest.New(t)

	resp, body := call(t, srv, http.MethodPost, updatesPath("0oaMISSING0000000000"), `{"name": "x"}`)

	requireOktaError(t, resp, body, http.StatusNotFound, "E0000007")
}

func TestGetAgentPoolsUpdateInstance(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "radius.vpn.example.com")
	update := sampleUpdate(t, srv, *pool.Id, "RADIUS agent update")

	resp, body := call(t, srv, http.MethodGet, updatesPath(*pool.Id)+"/"+*update.Id, "")

	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", body)
	u := decode[api.AgentPoolUpdate](t, body)
	assert.Equal(t, *update.Id, *u.Id)
	assert.Equal(t, api.AgentUpdateJobStatusSuccess, *u.Status)
	assert.Equal(t, "0 4 ? * 0#1", *u.Schedule.Cron)
	assert.True(t, u.Schedule.LastUpdated.Valid())
	require.NotNil(t, u.Links.Self.Hints)
	assert.Equal(t, []string{"GET", "POST", "DELETE"}, *u.Links.Self.Hints.Allow)
}

func TestGetAgentPoolsUpdateInstanceUnknownUpdate(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "corp.example.com")

	resp, body := call(t, srv, http.MethodGet, updatesPath(*pool.Id)+"/0oaNOUPDATE000000000", "")

	e := requireOktaError(t, resp, body, http.StatusNotFound, "E0000007")
	assert.Equal(t, "Not found: Resource not found: 0oaNOUPDATE000000000 (AgentPoolUpdate)", *e.ErrorSummary)
}

func TestUpdateAgentPoolsUpdateMerges(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "corp.example.com")
	update := sampleUpdate(t, srv, *pool.Id, "Monthly AD agent update")

	resp, body := call(t, srv, http.MethodPost, updatesPath(*pool.Id)+"/"+*update.Id, `{
		"name": "Renamed", "status": "Failed", "id": "0oaIGNORED0000000000",
		"schedule": {"cron": "0 9 15 * ?", "timezone": "Europe/Paris"},
		"agents": [{"id": "`+*(*pool.Agents)[2].Id+`"}]
	}`)

	require.Equal(t, http.StatusCreated, resp.StatusCode, "body: %s", body)
	u := decode[api.AgentPoolUpdate](t, body)
	assert.Equal(t, *update.Id, *u.Id)
	assert.Equal(t, "Renamed", *u.Name)
	assert.Equal(t, api.AgentUpdateJobStatusScheduled, *u.Status, "status changes only through lifecycle operations")
	assert.Equal(t, *update.Reason, *u.Reason, "absent members keep their value")
	assert.Equal(t, *update.TargetVersion, *u.TargetVersion)
	assert.Equal(t, "0 9 15 * ?", *u.Schedule.Cron)
	assert.Equal(t, update.Schedule.LastUpdated.Time, u.Schedule.LastUpdated.Time, "lastUpdated is server-set")
	require.Len(t, *u.Agents, 1)
	assert.Equal(t, "dc03.corp.example.com", *(*u.Agents)[0].Name)
	assert.Equal(t, api.AgentUpdateInstanceStatusScheduled, *(*u.Agents)[0].UpdateStatus)
}

func TestUpdateAgentPoolsUpdateRejectsBadCron(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "corp.example.com")
	update := sampleUpdate(t, srv, *pool.Id, "Monthly AD agent update")

	resp, body := call(t, srv, http.MethodPost, updatesPath(*pool.Id)+"/"+*update.Id, `{"schedule": {"cron": "every day"}}`)

	requireOktaError(t, resp, body, http.StatusBadRequest, "E0000001")
	stored, _ := srv.Update(*pool.Id, *update.Id)
	assert.Equal(t, "0 8 ? * 6#3", *stored.Schedule.Cron)
}

func TestDeleteAgentPoolsUpdate(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "corp.example.com")
	update := sampleUpdate(t, srv, *pool.Id, "Fix for dc02")
	path := updatesPath(*pool.Id) + "/" + *update.Id

	resp, body := call(t, srv, http.MethodDelete, path, "")

	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Empty(t, body)
	assert.Empty(t, resp.Header.Get("Content-Type"))
	assert.NotEmpty(t, resp.Header.Get("X-Okta-Request-Id"))
	_, ok := srv.Update(*pool.Id, *update.Id)
	assert.False(t, ok)

	resp, body = call(t, srv, http.MethodDelete, path, "")
	requireOktaError(t, resp, body, http.StatusNotFound, "E0000007")
}

func TestGetAgentPoolsUpdateSettings(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "lab.example.net")

	resp, body := call(t, srv, http.MethodGet, updatesPath(*pool.Id)+"/settings", "")

	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", body)
	settings := decode[api.AgentPoolUpdateSetting](t, body)
	assert.Equal(t, api.AD, settings.AgentType)
	assert.Equal(t, *pool.Id, *settings.PoolId)
	assert.Equal(t, "lab.example.net", *settings.PoolName)
	assert.Equal(t, api.BETA, *settings.ReleaseChannel)
	assert.Equal(t, "3.20.0", *settings.LatestVersion)
}

func TestGetAgentPoolsUpdateSettingsDefaults(t *testing.T) {
	srv := oktatest.New(t)
	pool := srv.AddPool(api.AgentPool{Name: ptr("ldap.example.com"), Type: ptr(api.LDAP)})

	resp, body := call(t, srv, http.MethodGet, updatesPath(*pool.Id)+"/settings", "")

	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", body)
	assert.JSONEq(t, `{"agentType": "LDAP", "poolId": "`+*pool.Id+`", "poolName": "ldap.example.com",
		"releaseChannel": "GA", "continueOnError": false}`, string(body))
}

func TestUpdateAgentPoolsUpdateSettings(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "iwa.corp.example.com")

	resp, body := call(t, srv, http.MethodPost, updatesPath(*pool.Id)+"/settings", `{
		"agentType": "IWA", "releaseChannel": "EA", "continueOnError": false, "poolId": "0oaIGNORED0000000000"
	}`)

	require.Equal(t, http.StatusCreated, resp.StatusCode, "body: %s", body)
	settings := decode[api.AgentPoolUpdateSetting](t, body)
	assert.Equal(t, *pool.Id, *settings.PoolId)
	assert.Equal(t, api.EA, *settings.ReleaseChannel)
	assert.False(t, *settings.ContinueOnError)
	assert.Equal(t, "iwa.corp.example.com", *settings.PoolName, "absent members keep their value")

	stored, ok := srv.Settings(*pool.Id)
	require.True(t, ok)
	assert.Equal(t, settings, stored)
}

func TestUpdateAgentPoolsUpdateSettingsWrongType(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "iwa.corp.example.com")

	resp, body := call(t, srv, http.MethodPost, updatesPath(*pool.Id)+"/settings", `{"agentType": "AD"}`)

	e := requireOktaError(t, resp, body, http.StatusBadRequest, "E0000001")
	assert.Equal(t, "Api validation failed: agentType", *e.ErrorSummary)
}

func TestUpdateAgentPoolsUpdateSettingsUnknownPool(t *testing.T) {
	srv := oktatest.New(t)

	resp, body := call(t, srv, http.MethodPost, updatesPath("0oaMISSING0000000000")+"/settings", `{"agentType": "AD"}`)

	requireOktaError(t, resp, body, http.StatusNotFound, "E0000007")
}
