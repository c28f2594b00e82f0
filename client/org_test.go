package client

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/auth"
	"github.com/seed570a29ac/agentpools/oktatest"
)

// newOrg starts the fake org with the sample data on the fake clock, and a
// Client for it.
func newOrg(t *testing.T, opts ...Option) (*oktatest.Server, *Client, *fakeClock) {
	t.Helper()

	clock := newFakeClock()
	org := oktatest.New(t, oktatest.WithSampleData(), oktatest.WithClock(clock.Now))
	all := append([]Option{
		WithCredentials(auth.APIToken(org.APIToken())),
		WithClock(clock),
		withRandom(halfRandom),
	}, opts...)
	c, err := New(org.URL, all...)
	require.NoError(t, err)
	return org, c, clock
}

// countOperation returns how many recorded requests called operationID.
func countOperation(org *oktatest.Server, operationID string) int {
	n := 0
	for _, r := range org.Requests() {
		if r.OperationID == operationID {
			n++
		}
	}
	return n
}

func TestOrgListPools(t *testing.T) {
	org, c, _ := newOrg(t)

	var names []string
	for pool, err := range c.ListPools(context.Background(), &ListPoolsOptions{PoolType: api.AD, LimitPerPoolType: 2}) {
		require.NoError(t, err)
		names = append(names, *pool.Name)
	}

	assert.Equal(t, []string{"corp.example.com", "emea.corp.example.com", "apac.corp.example.com", "lab.example.net", "acquired.example.org"}, names)
	assert.Equal(t, 3, countOperation(org, "listAgentPools"))
}

func TestOrgUpdateLifecycle(t *testing.T) {
	org, c, _ := newOrg(t)
	ctx := context.Background()
	page, err := c.ListPoolsPage(ctx, &ListPoolsOptions{PoolType: api.AD, LimitPerPoolType: 1})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	pool := page.Items[0]
	poolID := *pool.Id

	cron, zone, name := "0 8 ? * 6#3", "America/New_York", "Monthly AD agent update"
	agentType, enabled := api.AD, true
	created, err := c.CreateUpdate(ctx, poolID, api.AgentPoolUpdate{
		AgentType: &agentType,
		Enabled:   &enabled,
		Name:      &name,
		Schedule:  &api.AutoUpdateSchedule{Cron: &cron, Timezone: &zone},
		Agents:    pool.Agents, // with their read-only id and _links, which must be left out
	})
	require.NoError(t, err)
	require.NotNil(t, created.Id)
	updateID := *created.Id
	assert.Equal(t, api.AgentUpdateJobStatusScheduled, *created.Status)

	fetched, err := c.GetUpdate(ctx, poolID, updateID)
	require.NoError(t, err)
	renamed := "Renamed update"
	fetched.Name = &renamed
	edited, err := c.EditUpdate(ctx, poolID, updateID, *fetched)
	require.NoError(t, err)
	assert.Equal(t, renamed, *edited.Name)

	deactivated, err := c.DeactivateUpdate(ctx, poolID, updateID)
	require.NoError(t, err)
	assert.False(t, *deactivated.Enabled)
	activated, err := c.ActivateUpdate(ctx, poolID, updateID)
	require.NoError(t, err)
	assert.True(t, *activated.Enabled)

	steps := []struct {
		action func(context.Context, string, string) (*api.AgentPoolUpdate, error)
		want   api.AgentUpdateJobStatus
	}{
		{c.PauseUpdate, api.AgentUpdateJobStatusPaused},
		{c.ResumeUpdate, api.AgentUpdateJobStatusInProgress},
		{c.StopUpdate, api.AgentUpdateJobStatusCancelled},
	}
	for _, step := range steps {
		u, err := step.action(ctx, poolID, updateID)
		require.NoError(t, err)
		assert.Equal(t, step.want, *u.Status)
	}

	// Retry applies only to a failed job, which the agents end, not an API
	// call, so the fake org sets the status.
	_, err = c.RetryUpdate(ctx, poolID, updateID)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr, "retry of a cancelled job")
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	require.NoError(t, org.SetUpdateStatus(poolID, updateID, api.AgentUpdateJobStatusFailed))
	retried, err := c.RetryUpdate(ctx, poolID, updateID)
	require.NoError(t, err)
	assert.Equal(t, api.AgentUpdateJobStatusInProgress, *retried.Status)

	listed, err := c.ListUpdates(ctx, poolID, &ListUpdatesOptions{Scheduled: &enabled})
	require.NoError(t, err)
	assert.NotEmpty(t, listed)

	require.NoError(t, c.DeleteUpdate(ctx, poolID, updateID))
	_, err = c.GetUpdate(ctx, poolID, updateID)
	assert.True(t, IsNotFound(err), "got %v", err)

	assertNoReadOnlyMembers(t, org, "createAgentPoolsUpdate")
	assertNoReadOnlyMembers(t, org, "updateAgentPoolsUpdate")
}

// assertNoReadOnlyMembers checks that the recorded request bodies of
// operationID carry no id or _links, neither in the update nor in its
// agents.
func assertNoReadOnlyMembers(t *testing.T, org *oktatest.Server, operationID string) {
	t.Helper()

	found := 0
	for _, r := range org.Requests() {
		if r.OperationID != operationID {
			continue
		}
		found++

		var body struct {
			ID     *json.RawMessage             `json:"id"`
			Links  *json.RawMessage             `json:"_links"`
			Agents []map[string]json.RawMessage `json:"agents"`
		}
		require.NoError(t, json.Unmarshal(r.Body, &body))
		assert.Nil(t, body.ID, "%s sent an id", operationID)
		assert.Nil(t, body.Links, "%s sent _links", operationID)
		assert.NotEmpty(t, body.Agents, "%s sent no agents", operationID)
		for _, agent := range body.Agents {
			assert.NotContains(t, agent, "id", "%s sent an agent id", operationID)
			assert.NotContains(t, agent, "_links", "%s sent agent _links", operationID)
			assert.Contains(t, agent, "name", "%s dropped the agent name", operationID)
		}
	}
	assert.Equal(t, 1, found, "requests of %s", operationID)
}

func TestOrgSettingsRoundTrip(t *testing.T) {
	_, c, _ := newOrg(t)
	ctx := context.Background()
	page, err := c.ListPoolsPage(ctx, &ListPoolsOptions{PoolType: api.LDAP, LimitPerPoolType: 1})
	require.NoError(t, err)
	poolID := *page.Items[0].Id

	settings, err := c.GetSettings(ctx, poolID)
	require.NoError(t, err)
	channel := api.EA
	edited, err := c.EditSettings(ctx, poolID, api.AgentPoolUpdateSettingRequest{
		AgentType:               settings.AgentType,
		ContinueOnError:         settings.ContinueOnError,
		LatestVersion:           settings.LatestVersion,
		MinimalSupportedVersion: settings.MinimalSupportedVersion,
		PoolName:                settings.PoolName,
		ReleaseChannel:          &channel,
		AdditionalProperties:    settings.AdditionalProperties,
	})

	require.NoError(t, err)
	assert.Equal(t, api.EA, *edited.ReleaseChannel)
	assert.Equal(t, poolID, *edited.PoolId)
}

func TestOrgFaults(t *testing.T) {
	org, c, clock := newOrg(t)
	ctx := context.Background()
	page, err := c.ListPoolsPage(ctx, &ListPoolsOptions{PoolType: api.AD, LimitPerPoolType: 1})
	require.NoError(t, err)
	poolID := *page.Items[0].Id
	updates, err := c.ListUpdates(ctx, poolID, nil)
	require.NoError(t, err)
	require.NotEmpty(t, updates)
	updateID := *updates[0].Id

	t.Run("503 on GET is retried", func(t *testing.T) {
		require.NoError(t, org.InjectFault("getAgentPoolsUpdateInstance", oktatest.Fault{Status: http.StatusServiceUnavailable, Times: 2}))
		before := len(clock.Waits())

		_, err := c.GetUpdate(ctx, poolID, updateID)

		require.NoError(t, err)
		assert.Equal(t, 3, countOperation(org, "getAgentPoolsUpdateInstance"))
		assert.Equal(t, []time.Duration{375 * time.Millisecond, 750 * time.Millisecond}, clock.Waits()[before:])
	})

	t.Run("503 on create is not retried", func(t *testing.T) {
		require.NoError(t, org.InjectFault("createAgentPoolsUpdate", oktatest.Fault{Status: http.StatusServiceUnavailable, Times: 1}))
		name, agentType := "Ad hoc", api.AD

		_, err := c.CreateUpdate(ctx, poolID, api.AgentPoolUpdate{Name: &name, AgentType: &agentType})

		var apiErr *Error
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "E0000009", apiErr.Code)
		assert.NotEmpty(t, apiErr.RequestID)
		assert.Equal(t, 1, countOperation(org, "createAgentPoolsUpdate"))
	})

	t.Run("429 waits for the reset", func(t *testing.T) {
		reset := clock.Now().Add(30 * time.Second).Truncate(time.Second)
		require.NoError(t, org.InjectFault("getAgentPoolsUpdateSettings", oktatest.Fault{Status: http.StatusTooManyRequests, Times: 1, RateLimitReset: reset}))
		before := len(clock.Waits())
		start := clock.Now()

		_, err := c.GetSettings(ctx, poolID)

		require.NoError(t, err)
		waits := clock.Waits()[before:]
		require.Len(t, waits, 1)
		// The Date header has whole seconds, so the wait is measured from
		// the start of the second.
		assert.Equal(t, reset.Sub(start.Truncate(time.Second))+500*time.Millisecond, waits[0])
	})
}

func TestOrgPacingAvoids429(t *testing.T) {
	org, c, clock := newOrg(t)
	org.SetRateLimit(2, time.Minute)
	ctx := context.Background()
	page, err := c.ListPoolsPage(ctx, &ListPoolsOptions{PoolType: api.AD, LimitPerPoolType: 1})
	require.NoError(t, err)
	poolID := *page.Items[0].Id

	for range 5 {
		_, err := c.GetSettings(ctx, poolID)
		require.NoError(t, err)
	}

	for _, r := range org.Requests() {
		assert.NotEqual(t, http.StatusTooManyRequests, r.Status, "%s %s", r.Method, r.Path)
	}
	assert.Len(t, clock.Waits(), 2, "the third and fifth requests wait for a new window")
}

func TestOrgReadOnlyToken(t *testing.T) {
	clock := newFakeClock()
	org := oktatest.New(t, oktatest.WithSampleData(), oktatest.WithClock(clock.Now), oktatest.WithReadOnlyAPIToken("00read-only"))
	c, err := New(org.URL, WithCredentials(auth.APIToken("00read-only")), WithClock(clock))
	require.NoError(t, err)
	ctx := context.Background()
	page, err := c.ListPoolsPage(ctx, nil)
	require.NoError(t, err)
	poolID := *page.Items[0].Id

	_, err = c.StopUpdate(ctx, poolID, "upd-none")

	assert.True(t, IsForbidden(err), "got %v", err)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "E0000006", apiErr.Code)
}
