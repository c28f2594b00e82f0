package integration_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/client"
)

// TestFakeFollowsLifecycleGuidance checks, for every job status and
// action, that the fake org accepts the action exactly when the api
// package's predicates report that Okta's documentation describes it.
func TestFakeFollowsLifecycleGuidance(t *testing.T) {
	tg := newTarget(t)
	if tg.real() {
		t.Skip("sets job statuses, which only the fake org allows")
	}
	pool := tg.fake.Pools()[0]
	poolID := deref(pool.Id)

	actions := []struct {
		name    string
		allowed func(api.AgentUpdateJobStatus) bool
		call    func(c *client.Client, ctx context.Context, poolID, updateID string) (*api.AgentPoolUpdate, error)
	}{
		{"activate", api.AgentUpdateJobStatus.CanActivate, (*client.Client).ActivateUpdate},
		{"deactivate", api.AgentUpdateJobStatus.CanDeactivate, (*client.Client).DeactivateUpdate},
		{"pause", api.AgentUpdateJobStatus.CanPause, (*client.Client).PauseUpdate},
		{"resume", api.AgentUpdateJobStatus.CanResume, (*client.Client).ResumeUpdate},
		{"retry", api.AgentUpdateJobStatus.CanRetry, (*client.Client).RetryUpdate},
		{"stop", api.AgentUpdateJobStatus.CanStop, (*client.Client).StopUpdate},
	}

	for _, status := range api.AgentUpdateJobStatuses() {
		for _, action := range actions {
			t.Run(string(status)+"/"+action.name, func(t *testing.T) {
				u, err := tg.fake.AddUpdate(poolID, api.AgentPoolUpdate{
					Name:      ptr("lifecycle " + string(status) + " " + action.name),
					AgentType: pool.Type,
					Schedule:  &api.AutoUpdateSchedule{Cron: ptr("0 8 ? * 6#3"), Timezone: ptr("America/New_York")},
				})
				require.NoError(t, err)
				require.NoError(t, tg.fake.SetUpdateStatus(poolID, deref(u.Id), status))

				_, err = action.call(tg.client, ctx(t), poolID, deref(u.Id))
				if action.allowed(status) {
					assert.NoError(t, err)
				} else {
					assert.Error(t, err)
				}
			})
		}
	}
}
