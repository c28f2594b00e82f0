package oktatest_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/oktatest"
)

var allStatuses = []api.AgentUpdateJobStatus{
	api.AgentUpdateJobStatusScheduled,
	api.AgentUpdateJobStatusInProgress,
	api.AgentUpdateJobStatusPaused,
	api.AgentUpdateJobStatusSuccess,
	api.AgentUpdateJobStatusFailed,
	api.AgentUpdateJobStatusCancelled,
}

// seedLifecycle adds a pool with one agent and an update in the given
// status, scheduled or ad hoc.
func seedLifecycle(t *testing.T, srv *oktatest.Server, status api.AgentUpdateJobStatus, scheduled bool) (poolID, updateID string) {
	t.Helper()

	pool := srv.AddPool(api.AgentPool{
		Name:   ptr("corp.example.com"),
		Type:   ptr(api.AD),
		Agents: &[]api.Agent{{Name: ptr("dc01.corp.example.com"), Version: ptr("3.19.0"), Type: ptr(api.AD)}},
	})
	update := api.AgentPoolUpdate{
		Name:          ptr("update"),
		Status:        ptr(status),
		Enabled:       ptr(true),
		TargetVersion: ptr("3.20.0"),
		Agents:        pool.Agents,
	}
	if scheduled {
		update.Schedule = &api.AutoUpdateSchedule{Cron: ptr("0 8 15 * ?"), Timezone: ptr("UTC")}
	}
	u, err := srv.AddUpdate(*pool.Id, update)
	require.NoError(t, err)
	return *pool.Id, *u.Id
}

func TestLifecycleTransitions(t *testing.T) {
	type outcome struct {
		status  api.AgentUpdateJobStatus
		enabled bool
	}
	// allowed maps an action to the new state for each status it accepts;
	// scheduledOnly marks the actions that reject ad hoc updates.
	allowed := map[string]map[api.AgentUpdateJobStatus]outcome{
		"activate":   {api.AgentUpdateJobStatusScheduled: {api.AgentUpdateJobStatusScheduled, true}},
		"deactivate": {api.AgentUpdateJobStatusScheduled: {api.AgentUpdateJobStatusScheduled, false}},
		"pause": {
			api.AgentUpdateJobStatusInProgress: {api.AgentUpdateJobStatusPaused, true},
			api.AgentUpdateJobStatusScheduled:  {api.AgentUpdateJobStatusPaused, true},
		},
		"resume": {api.AgentUpdateJobStatusPaused: {api.AgentUpdateJobStatusInProgress, true}},
		"retry":  {api.AgentUpdateJobStatusFailed: {api.AgentUpdateJobStatusInProgress, true}},
		"stop": {
			api.AgentUpdateJobStatusScheduled:  {api.AgentUpdateJobStatusCancelled, true},
			api.AgentUpdateJobStatusInProgress: {api.AgentUpdateJobStatusCancelled, true},
			api.AgentUpdateJobStatusPaused:     {api.AgentUpdateJobStatusCancelled, true},
		},
	}
	scheduledOnly := map[string]bool{"activate": true, "deactivate": true}

	srv := oktatest.New(t)
	for action, from := range allowed {
		for _, status := range allStatuses {
			for _, scheduled := range []bool{true, false} {
				name := fmt.Sprintf("%s/%s/scheduled=%t", action, status, scheduled)
				t.Run(name, func(t *testing.T) {
					poolID, updateID := seedLifecycle(t, srv, status, scheduled)

					resp, body := call(t, srv, http.MethodPost, updatesPath(poolID)+"/"+updateID+"/"+action, "")

					want, ok := from[status]
					if scheduledOnly[action] && !scheduled {
						ok = false
					}
					stored, _ := srv.Update(poolID, updateID)
					if !ok {
						e := requireOktaError(t, resp, body, http.StatusBadRequest, "E0000001")
						require.Len(t, causes(e), 1)
						if scheduledOnly[action] && !scheduled {
							assert.Contains(t, causes(e)[0], "ad hoc update")
						} else {
							assert.Contains(t, causes(e)[0], fmt.Sprintf("in status %q", status))
						}
						assert.Equal(t, status, *stored.Status, "a rejected action leaves the status")
						return
					}

					require.Equal(t, http.StatusCreated, resp.StatusCode, "body: %s", body)
					u := decode[api.AgentPoolUpdate](t, body)
					assert.Equal(t, want.status, *u.Status)
					assert.Equal(t, want.enabled, *u.Enabled)
					assert.Equal(t, want.status, *stored.Status)
				})
			}
		}
	}
}

func TestLifecycleActivateAfterDeactivate(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "mfa.vpn.example.com")
	update := sampleUpdate(t, srv, *pool.Id, "MFA agent update")
	require.False(t, *update.Enabled, "the sample MFA update is deactivated")

	resp, body := call(t, srv, http.MethodPost, updatesPath(*pool.Id)+"/"+*update.Id+"/activate", "")

	require.Equal(t, http.StatusCreated, resp.StatusCode, "body: %s", body)
	u := decode[api.AgentPoolUpdate](t, body)
	assert.True(t, *u.Enabled)
	assert.Equal(t, api.AgentUpdateJobStatusScheduled, *u.Status)
}

func TestLifecycleSetsAgentStatuses(t *testing.T) {
	srv := oktatest.New(t)
	poolID, updateID := seedLifecycle(t, srv, api.AgentUpdateJobStatusInProgress, false)

	_, body := call(t, srv, http.MethodPost, updatesPath(poolID)+"/"+updateID+"/stop", "")
	u := decode[api.AgentPoolUpdate](t, body)
	assert.Equal(t, api.AgentUpdateInstanceStatusCancelled, *(*u.Agents)[0].UpdateStatus)
	assert.Equal(t, api.AgentUpdateInstanceStatusCancelled, *(*srv.Pools()[0].Agents)[0].UpdateStatus)

	require.NoError(t, srv.SetUpdateStatus(poolID, updateID, api.AgentUpdateJobStatusFailed))
	_, body = call(t, srv, http.MethodPost, updatesPath(poolID)+"/"+updateID+"/retry", "")
	u = decode[api.AgentPoolUpdate](t, body)
	assert.Equal(t, api.AgentUpdateInstanceStatusInProgress, *(*u.Agents)[0].UpdateStatus)
}

func TestLifecycleUnknownStatusRejected(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithoutResponseValidation())
	poolID, updateID := seedLifecycle(t, srv, api.AgentUpdateJobStatus("Queued"), false)

	resp, body := call(t, srv, http.MethodPost, updatesPath(poolID)+"/"+updateID+"/pause", "")

	e := requireOktaError(t, resp, body, http.StatusBadRequest, "E0000001")
	assert.Contains(t, causes(e)[0], `"Queued"`)
}

func TestLifecycleUnknownUpdate(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "corp.example.com")

	for _, action := range []string{"activate", "deactivate", "pause", "resume", "retry", "stop"} {
		resp, body := call(t, srv, http.MethodPost, updatesPath(*pool.Id)+"/0oaNOUPDATE000000000/"+action, "")
		requireOktaError(t, resp, body, http.StatusNotFound, "E0000007")
	}
}

func TestSetUpdateStatusSuccess(t *testing.T) {
	now := time.Date(2025, time.March, 1, 9, 30, 0, 0, time.UTC)
	srv := oktatest.New(t, oktatest.WithClock(func() time.Time { return now }))
	poolID, updateID := seedLifecycle(t, srv, api.AgentUpdateJobStatusScheduled, true)

	require.NoError(t, srv.SetUpdateStatus(poolID, updateID, api.AgentUpdateJobStatusSuccess))

	u, ok := srv.Update(poolID, updateID)
	require.True(t, ok)
	assert.Equal(t, api.AgentUpdateJobStatusSuccess, *u.Status)
	assert.True(t, now.Equal(u.Schedule.LastUpdated.Time), "lastUpdated %s", u.Schedule.LastUpdated)
	agent := (*u.Agents)[0]
	assert.Equal(t, api.AgentUpdateInstanceStatusSuccess, *agent.UpdateStatus)
	assert.Equal(t, "3.20.0", *agent.Version)
	poolAgent := (*srv.Pools()[0].Agents)[0]
	assert.Equal(t, "3.20.0", *poolAgent.Version, "the pool's agent is updated too")
	assert.Equal(t, api.AgentUpdateInstanceStatusSuccess, *poolAgent.UpdateStatus)

	resp, body := call(t, srv, http.MethodGet, updatesPath(poolID)+"/"+updateID, "")
	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", body)
	assert.Contains(t, string(body), `"lastUpdated":"2025-03-01T09:30:00Z"`)
}

func TestSetUpdateStatusCancelledKeepsLastUpdated(t *testing.T) {
	srv := oktatest.New(t)
	poolID, updateID := seedLifecycle(t, srv, api.AgentUpdateJobStatusInProgress, true)

	require.NoError(t, srv.SetUpdateStatus(poolID, updateID, api.AgentUpdateJobStatusCancelled))

	u, _ := srv.Update(poolID, updateID)
	assert.False(t, u.Schedule.LastUpdated.Valid())
	assert.Equal(t, api.AgentUpdateInstanceStatusCancelled, *(*u.Agents)[0].UpdateStatus)
}

func TestSetUpdateStatusErrors(t *testing.T) {
	srv := oktatest.New(t)
	poolID, updateID := seedLifecycle(t, srv, api.AgentUpdateJobStatusInProgress, false)

	assert.ErrorContains(t, srv.SetUpdateStatus("0oaMISSING0000000000", updateID, api.AgentUpdateJobStatusSuccess), "pool")
	assert.ErrorContains(t, srv.SetUpdateStatus(poolID, "0oaMISSING0000000000", api.AgentUpdateJobStatusSuccess), "update")
	assert.ErrorContains(t, srv.SetUpdateStatus(poolID, updateID, "Done"), "enum")
}
