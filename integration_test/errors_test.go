package integration_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/auth"
	"github.com/seed570a29ac/agentpools/client"
	"github.com/seed570a29ac/agentpools/oktatest"
)

func TestUnknownUpdateIsNotFound(t *testing.T) {
	tg := newTarget(t)
	pool := tg.writablePool(t)

	_, err := tg.client.GetUpdate(ctx(t), deref(pool.Id), "0oaDoesNotExist00000")
	require.Error(t, err)
	assert.True(t, client.IsNotFound(err))

	var apiErr *client.Error
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "E0000007", apiErr.Code)
	assert.NotEmpty(t, apiErr.Summary)
	assert.NotEmpty(t, apiErr.RequestID)
	assert.NotContains(t, err.Error(), "\n", "one line")
}

func TestReadOnlyTokenIsForbidden(t *testing.T) {
	fake := oktatest.New(t, oktatest.WithSampleData(), oktatest.WithReadOnlyAPIToken("read-only-token"))
	c, err := client.New(fake.URL, client.WithCredentials(auth.APIToken("read-only-token")))
	require.NoError(t, err)
	poolID := deref(fake.Pools()[0].Id)

	before, err := c.ListUpdates(ctx(t), poolID, nil)
	require.NoError(t, err, "reads are allowed")

	_, err = c.CreateUpdate(ctx(t), poolID, api.AgentPoolUpdate{Name: ptr("x"), AgentType: fake.Pools()[0].Type})
	require.Error(t, err)
	assert.True(t, client.IsForbidden(err))

	var apiErr *client.Error
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, "E0000006", apiErr.Code)
	assert.Len(t, fake.Updates(poolID), len(before), "nothing was created")
}

func TestWrongTokenIsUnauthorized(t *testing.T) {
	fake := oktatest.New(t, oktatest.WithSampleData())
	c, err := client.New(fake.URL, client.WithCredentials(auth.APIToken("not-the-token")))
	require.NoError(t, err)

	_, err = c.GetSettings(ctx(t), deref(fake.Pools()[0].Id))
	require.Error(t, err)
	assert.True(t, client.IsUnauthorized(err))
	assert.NotContains(t, err.Error(), "not-the-token")
}

func TestActionInWrongStateIsRejected(t *testing.T) {
	tg := newTarget(t)
	if tg.real() {
		t.Skip("needs the fake org to set an update's status")
	}
	poolID := deref(tg.fake.Pools()[0].Id)
	u, err := tg.fake.AddUpdate(poolID, api.AgentPoolUpdate{Name: ptr("done"), AgentType: tg.fake.Pools()[0].Type})
	require.NoError(t, err)
	require.NoError(t, tg.fake.SetUpdateStatus(poolID, deref(u.Id), api.AgentUpdateJobStatusSuccess))

	_, err = tg.client.PauseUpdate(ctx(t), poolID, deref(u.Id))
	require.Error(t, err)

	var apiErr *client.Error
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	assert.Equal(t, "E0000001", apiErr.Code)
}

func TestRateLimitedCallIsRetried(t *testing.T) {
	tg := newTarget(t)
	if tg.real() {
		t.Skip("needs the fake org to inject a 429")
	}
	poolID := deref(tg.fake.Pools()[0].Id)
	require.NoError(t, tg.fake.InjectFault("getAgentPoolsUpdateSettings", oktatest.Fault{
		Status:         http.StatusTooManyRequests,
		Times:          1,
		RateLimitReset: time.Now(),
	}))

	c, err := client.New(tg.fake.URL, client.WithCredentials(auth.APIToken(tg.fake.APIToken())), client.WithClock(instantClock{}))
	require.NoError(t, err)

	settings, err := c.GetSettings(ctx(t), poolID)
	require.NoError(t, err)
	assert.Equal(t, poolID, deref(settings.PoolId))

	var attempts int
	for _, r := range tg.fake.Requests() {
		if r.OperationID == "getAgentPoolsUpdateSettings" {
			attempts++
		}
	}
	assert.Equal(t, 2, attempts)
}
