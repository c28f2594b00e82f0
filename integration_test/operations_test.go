package integration_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/client"
)

func TestListPoolsAcrossPages(t *testing.T) {
	tg := newTarget(t)

	var ids []string
	seen := map[string]bool{}
	for pool, err := range tg.client.ListPools(ctx(t), &client.ListPoolsOptions{LimitPerPoolType: 1}) {
		require.NoError(t, err)
		id := deref(pool.Id)
		assert.False(t, seen[id], "pool %s listed twice", id)
		seen[id] = true
		ids = append(ids, id)
	}

	if tg.real() {
		return
	}
	assert.Len(t, ids, len(tg.fake.Pools()), "every pool listed once")

	var pages int
	for _, r := range tg.fake.Requests() {
		if r.OperationID == "listAgentPools" {
			pages++
			assert.Contains(t, r.RawQuery, "limitPerPoolType=1")
		}
	}
	assert.Greater(t, pages, 1, "the listing spans several pages")
}

func TestListPoolsFilterKeptOnEveryPage(t *testing.T) {
	tg := newTarget(t)

	opts := &client.ListPoolsOptions{PoolType: api.AD, LimitPerPoolType: 1}
	var count int
	for pool, err := range tg.client.ListPools(ctx(t), opts) {
		require.NoError(t, err)
		assert.Equal(t, api.AD, deref(pool.Type))
		count++
	}
	assert.Equal(t, api.AD, opts.PoolType, "options are not changed")
	assert.Equal(t, 1, opts.LimitPerPoolType, "options are not changed")

	if tg.real() {
		return
	}
	var want int
	for _, p := range tg.fake.Pools() {
		if deref(p.Type) == api.AD {
			want++
		}
	}
	assert.Equal(t, want, count)
	require.Greater(t, want, 1, "sample data has several AD pools")
}

func TestPoolIteratorResumes(t *testing.T) {
	tg := newTarget(t)
	opts := &client.ListPoolsOptions{LimitPerPoolType: 1}

	first := tg.client.PoolIterator(opts)
	page, err := first.NextPage(ctx(t))
	require.NoError(t, err)
	require.NotEmpty(t, page.Items)
	if page.NextCursor == "" {
		t.Skip("the org has a single page of pools")
	}

	resumed := tg.client.PoolIterator(&client.ListPoolsOptions{LimitPerPoolType: 1, After: first.Cursor()})
	var all []string
	for _, p := range page.Items {
		all = append(all, deref(p.Id))
	}
	for pool, err := range resumed.All(ctx(t)) {
		require.NoError(t, err)
		all = append(all, deref(pool.Id))
	}

	var want []string
	for pool, err := range tg.client.ListPools(ctx(t), opts) {
		require.NoError(t, err)
		want = append(want, deref(pool.Id))
	}
	assert.Equal(t, want, all, "a resumed listing continues where the first stopped")
}

func TestListUpdates(t *testing.T) {
	tg := newTarget(t)
	pool := tg.writablePool(t)

	all, err := tg.client.ListUpdates(ctx(t), deref(pool.Id), nil)
	require.NoError(t, err)

	scheduled, err := tg.client.ListUpdates(ctx(t), deref(pool.Id), &client.ListUpdatesOptions{Scheduled: ptr(true)})
	require.NoError(t, err)
	adHoc, err := tg.client.ListUpdates(ctx(t), deref(pool.Id), &client.ListUpdatesOptions{Scheduled: ptr(false)})
	require.NoError(t, err)
	assert.Len(t, all, len(scheduled)+len(adHoc))

	if !tg.real() {
		assert.Len(t, all, len(tg.fake.Updates(deref(pool.Id))))
	}
}

func TestSettingsReadAndChange(t *testing.T) {
	tg := newTarget(t)
	tg.requireWrite(t)
	pool := tg.writablePool(t)
	poolID := deref(pool.Id)

	before, err := tg.client.GetSettings(ctx(t), poolID)
	require.NoError(t, err)
	assert.Equal(t, poolID, deref(before.PoolId))

	change := api.AgentPoolUpdateSettingRequest{
		AgentType:      before.AgentType,
		ReleaseChannel: ptr(api.EA),
	}
	after, err := tg.client.EditSettings(ctx(t), poolID, change)
	require.NoError(t, err)
	assert.Equal(t, api.EA, deref(after.ReleaseChannel))

	t.Cleanup(func() {
		restore := api.AgentPoolUpdateSettingRequest{AgentType: before.AgentType, ReleaseChannel: before.ReleaseChannel}
		_, err := tg.client.EditSettings(ctx(t), poolID, restore)
		assert.NoError(t, err)
	})

	if !tg.real() {
		stored, ok := tg.fake.Settings(poolID)
		require.True(t, ok)
		assert.Equal(t, api.EA, deref(stored.ReleaseChannel))
	}
}

// TestUpdateLifecycle calls every update operation in the order of a
// rollout: create, get, edit, activate, deactivate, activate, pause,
// resume, stop, retry of a failed job, and delete.
func TestUpdateLifecycle(t *testing.T) {
	tg := newTarget(t)
	tg.requireWrite(t)
	pool := tg.writablePool(t)
	poolID := deref(pool.Id)

	cron, err := api.NthWeekdayCron(3, 6, 8, 0)
	require.NoError(t, err)
	created, err := tg.client.CreateUpdate(ctx(t), poolID, api.AgentPoolUpdate{
		Name:          ptr("integration test update"),
		AgentType:     pool.Type,
		Enabled:       ptr(true),
		NotifyAdmin:   ptr(false),
		TargetVersion: ptr("3.20.0"),
		Schedule: &api.AutoUpdateSchedule{
			Cron:     ptr(cron.String()),
			Timezone: ptr("America/New_York"),
			Duration: ptr(int32(120)),
			Delay:    ptr(int32(0)),
		},
	})
	require.NoError(t, err)
	updateID := deref(created.Id)
	require.NotEmpty(t, updateID)
	t.Cleanup(func() {
		err := tg.client.DeleteUpdate(ctx(t), poolID, updateID)
		if err != nil && !client.IsNotFound(err) {
			t.Errorf("cleanup: %v", err)
		}
	})
	assert.Equal(t, api.AgentUpdateJobStatusScheduled, created.StatusValue())

	got, err := tg.client.GetUpdate(ctx(t), poolID, updateID)
	require.NoError(t, err)
	assert.Equal(t, "integration test update", deref(got.Name))

	got.Name = ptr("integration test update, renamed")
	edited, err := tg.client.EditUpdate(ctx(t), poolID, updateID, *got)
	require.NoError(t, err)
	assert.Equal(t, "integration test update, renamed", deref(edited.Name))

	steps := []struct {
		name string
		call func() (*api.AgentPoolUpdate, error)
		want api.AgentUpdateJobStatus
	}{
		{"activate", func() (*api.AgentPoolUpdate, error) { return tg.client.ActivateUpdate(ctx(t), poolID, updateID) }, api.AgentUpdateJobStatusScheduled},
		{"deactivate", func() (*api.AgentPoolUpdate, error) { return tg.client.DeactivateUpdate(ctx(t), poolID, updateID) }, api.AgentUpdateJobStatusScheduled},
		{"activate again", func() (*api.AgentPoolUpdate, error) { return tg.client.ActivateUpdate(ctx(t), poolID, updateID) }, api.AgentUpdateJobStatusScheduled},
		{"pause", func() (*api.AgentPoolUpdate, error) { return tg.client.PauseUpdate(ctx(t), poolID, updateID) }, api.AgentUpdateJobStatusPaused},
		{"resume", func() (*api.AgentPoolUpdate, error) { return tg.client.ResumeUpdate(ctx(t), poolID, updateID) }, api.AgentUpdateJobStatusInProgress},
		{"stop", func() (*api.AgentPoolUpdate, error) { return tg.client.StopUpdate(ctx(t), poolID, updateID) }, api.AgentUpdateJobStatusCancelled},
	}
	for _, step := range steps {
		u, err := step.call()
		require.NoError(t, err, step.name)
		if !tg.real() {
			assert.Equal(t, step.want, u.StatusValue(), step.name)
		}
	}

	if !tg.real() {
		require.NoError(t, tg.fake.SetUpdateStatus(poolID, updateID, api.AgentUpdateJobStatusFailed))
		retried, err := tg.client.RetryUpdate(ctx(t), poolID, updateID)
		require.NoError(t, err)
		assert.Equal(t, api.AgentUpdateJobStatusInProgress, retried.StatusValue())
	}

	require.NoError(t, tg.client.DeleteUpdate(ctx(t), poolID, updateID))
	_, err = tg.client.GetUpdate(ctx(t), poolID, updateID)
	assert.True(t, client.IsNotFound(err), "got %v", err)
}
