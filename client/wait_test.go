package client

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/auth"
	"github.com/seed570a29ac/agentpools/oktatest"
)

func newWaitSetup(t *testing.T, clock *fakeClock) (*Client, *oktatest.Server, string, string) {
	t.Helper()

	fake := oktatest.New(t, oktatest.WithSampleData())
	c, err := New(fake.URL, WithCredentials(auth.APIToken(fake.APIToken())), WithClock(clock))
	require.NoError(t, err)

	pool := fake.Pools()[0]
	u, err := fake.AddUpdate(*pool.Id, api.AgentPoolUpdate{Name: ptrTo("wait"), AgentType: pool.Type})
	require.NoError(t, err)
	require.NoError(t, fake.SetUpdateStatus(*pool.Id, *u.Id, api.AgentUpdateJobStatusInProgress))
	return c, fake, *pool.Id, *u.Id
}

func ptrTo[T any](v T) *T { return &v }

func TestWaitUpdateUntilFinished(t *testing.T) {
	clock := newFakeClock()
	c, fake, poolID, updateID := newWaitSetup(t, clock)
	clock.onWait = func(time.Duration) {
		if len(clock.Waits()) == 4 {
			assert.NoError(t, fake.SetUpdateStatus(poolID, updateID, api.AgentUpdateJobStatusSuccess))
		}
	}

	got, err := c.WaitUpdate(context.Background(), poolID, updateID, &WaitOptions{Interval: 10 * time.Second, MaxInterval: 20 * time.Second})
	require.NoError(t, err)
	assert.Equal(t, api.AgentUpdateJobStatusSuccess, got.StatusValue())
	assert.Equal(t, []time.Duration{10 * time.Second, 15 * time.Second, 20 * time.Second, 20 * time.Second}, clock.Waits())
}

func TestWaitUpdateCustomDone(t *testing.T) {
	clock := newFakeClock()
	c, _, poolID, updateID := newWaitSetup(t, clock)

	got, err := c.WaitUpdate(context.Background(), poolID, updateID, &WaitOptions{
		Done: func(u api.AgentPoolUpdate) bool { return u.StatusValue().IsRunning() },
	})
	require.NoError(t, err)
	assert.Equal(t, api.AgentUpdateJobStatusInProgress, got.StatusValue())
	assert.Empty(t, clock.Waits(), "done at the first poll")
}

func TestWaitUpdateCancelled(t *testing.T) {
	clock := newFakeClock()
	c, _, poolID, updateID := newWaitSetup(t, clock)
	ctx, cancel := context.WithCancel(context.Background())
	clock.onWait = func(time.Duration) { cancel() }

	got, err := c.WaitUpdate(ctx, poolID, updateID, nil)
	require.ErrorIs(t, err, context.Canceled)
	require.NotNil(t, got)
	assert.Equal(t, api.AgentUpdateJobStatusInProgress, got.StatusValue())
	assert.Equal(t, []time.Duration{DefaultWaitInterval}, clock.Waits())
}

func TestWaitUpdateErrors(t *testing.T) {
	clock := newFakeClock()
	c, _, poolID, _ := newWaitSetup(t, clock)

	_, err := c.WaitUpdate(context.Background(), poolID, "0oaMissing", nil)
	assert.True(t, IsNotFound(err), "got %v", err)

	_, err = c.WaitUpdate(context.Background(), poolID, "x", &WaitOptions{Interval: -time.Second})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "must not be negative")
}
