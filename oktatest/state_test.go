package oktatest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/oktatest"
)

func TestAddPoolAssignsIDs(t *testing.T) {
	srv := oktatest.New(t)

	pool := srv.AddPool(api.AgentPool{
		Name:   ptr("corp"),
		Type:   ptr(api.AD),
		Agents: &[]api.Agent{{Name: ptr("dc01")}, {Id: ptr("a53FIXED000000000000"), PoolId: ptr("other")}},
	})

	require.NotNil(t, pool.Id)
	assert.Len(t, *pool.Id, 20)
	assert.Regexp(t, `^0oa[0-9A-Za-z]{17}$`, *pool.Id)
	agents := *pool.Agents
	assert.Regexp(t, `^a53[0-9A-Za-z]{17}$`, *agents[0].Id)
	assert.Equal(t, *pool.Id, *agents[0].PoolId)
	assert.Equal(t, "a53FIXED000000000000", *agents[1].Id, "given IDs are kept")
	assert.Equal(t, "other", *agents[1].PoolId)
}

func TestAddPoolReplacesByID(t *testing.T) {
	srv := oktatest.New(t)
	pool := srv.AddPool(api.AgentPool{Id: ptr("0oaPOOL0000000000000"), Name: ptr("old"), Type: ptr(api.AD)})
	_, err := srv.AddUpdate(*pool.Id, api.AgentPoolUpdate{Name: ptr("kept")})
	require.NoError(t, err)

	srv.AddPool(api.AgentPool{Id: ptr("0oaPOOL0000000000000"), Name: ptr("new"), Type: ptr(api.AD)})

	pools := srv.Pools()
	require.Len(t, pools, 1)
	assert.Equal(t, "new", *pools[0].Name)
	assert.Len(t, srv.Updates(*pool.Id), 1)
}

func TestAddUpdateDefaults(t *testing.T) {
	srv := oktatest.New(t)
	pool := srv.AddPool(api.AgentPool{Name: ptr("corp"), Type: ptr(api.OPP)})

	adHoc, err := srv.AddUpdate(*pool.Id, api.AgentPoolUpdate{Name: ptr("now")})
	require.NoError(t, err)
	scheduled, err := srv.AddUpdate(*pool.Id, api.AgentPoolUpdate{Schedule: &api.AutoUpdateSchedule{Cron: ptr("0 1 2 * ?")}})
	require.NoError(t, err)
	failed, err := srv.AddUpdate(*pool.Id, api.AgentPoolUpdate{Status: ptr(api.AgentUpdateJobStatusFailed)})
	require.NoError(t, err)

	assert.Equal(t, api.AgentUpdateJobStatusInProgress, *adHoc.Status)
	assert.Equal(t, api.OPP, *adHoc.AgentType)
	assert.Equal(t, api.AgentUpdateJobStatusScheduled, *scheduled.Status)
	assert.Equal(t, api.AgentUpdateJobStatusFailed, *failed.Status, "a given status is kept")
	assert.NotEqual(t, *adHoc.Id, *scheduled.Id)
}

func TestSeedingUnknownPool(t *testing.T) {
	srv := oktatest.New(t)

	_, err := srv.AddUpdate("0oaMISSING0000000000", api.AgentPoolUpdate{})
	assert.ErrorContains(t, err, `pool "0oaMISSING0000000000" not found`)
	assert.ErrorContains(t, srv.SetSettings("0oaMISSING0000000000", api.AgentPoolUpdateSetting{}), "not found")
	assert.Nil(t, srv.Updates("0oaMISSING0000000000"))
	_, ok := srv.Update("0oaMISSING0000000000", "x")
	assert.False(t, ok)
	_, ok = srv.Settings("0oaMISSING0000000000")
	assert.False(t, ok)
}

func TestSetSettingsSetsPoolID(t *testing.T) {
	srv := oktatest.New(t)
	pool := srv.AddPool(api.AgentPool{Name: ptr("corp"), Type: ptr(api.AD)})

	require.NoError(t, srv.SetSettings(*pool.Id, api.AgentPoolUpdateSetting{AgentType: api.AD, PoolId: ptr("wrong"), ReleaseChannel: ptr(api.EA)}))

	settings, ok := srv.Settings(*pool.Id)
	require.True(t, ok)
	assert.Equal(t, *pool.Id, *settings.PoolId)
	assert.Equal(t, api.EA, *settings.ReleaseChannel)
}

func TestInspectionReturnsDeepCopies(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "corp.example.com")
	update := sampleUpdate(t, srv, *pool.Id, "Monthly AD agent update")

	pools := srv.Pools()
	*pools[0].Name = "changed"
	*(*pools[0].Agents)[0].Version = "0.0.0"
	updates := srv.Updates(*pool.Id)
	*updates[0].Schedule.Cron = "changed"
	(*updates[0].Agents)[0].Name = nil
	settings, _ := srv.Settings(*pool.Id)
	*settings.PoolName = "changed"

	assert.Equal(t, "corp.example.com", *srv.Pools()[0].Name)
	assert.Equal(t, "3.20.0", *(*srv.Pools()[0].Agents)[0].Version)
	stored, _ := srv.Update(*pool.Id, *update.Id)
	assert.Equal(t, "0 8 ? * 6#3", *stored.Schedule.Cron)
	assert.NotNil(t, (*stored.Agents)[0].Name)
	settings, _ = srv.Settings(*pool.Id)
	assert.Equal(t, "corp.example.com", *settings.PoolName)
}

func TestSeedingCopiesInput(t *testing.T) {
	srv := oktatest.New(t)
	name := "corp"
	input := api.AgentPool{Name: &name, Type: ptr(api.AD)}

	srv.AddPool(input)
	name = "changed"

	assert.Equal(t, "corp", *srv.Pools()[0].Name)
}

func TestSeedSample(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())

	pools := srv.Pools()
	require.Len(t, pools, 15)

	types := map[api.AgentType]int{}
	forms := map[string]int{}
	updateStatuses := map[api.AgentUpdateJobStatus]int{}
	for _, p := range pools {
		types[*p.Type]++
		require.NotNil(t, p.Agents)
		assert.GreaterOrEqual(t, len(*p.Agents), 1)
		assert.LessOrEqual(t, len(*p.Agents), 4)
		for _, a := range *p.Agents {
			assert.Regexp(t, `^\d+\.\d+\.\d+$`, *a.Version)
			assert.Equal(t, *p.Id, *a.PoolId)
			switch {
			case a.LastConnection.IsNull():
				forms["null"]++
			case a.LastConnection.String() == "2024-11-30T22:04:11Z":
				forms["text"]++
			case a.LastConnection.Valid():
				forms["millis"]++
			}
		}

		_, ok := srv.Settings(*p.Id)
		assert.True(t, ok)
		for _, u := range srv.Updates(*p.Id) {
			updateStatuses[*u.Status]++
		}
	}

	assert.Equal(t, map[api.AgentType]int{api.AD: 5, api.LDAP: 3, api.IWA: 2, api.MFA: 2, api.OPP: 1, api.RUM: 1, api.Radius: 1}, types)
	assert.Equal(t, 1, forms["null"])
	assert.Equal(t, 1, forms["text"])
	assert.Greater(t, forms["millis"], 20)
	for _, status := range allStatuses {
		assert.Positive(t, updateStatuses[status], "no sample update in status %s", status)
	}
}

func TestSeedSampleIsDeterministic(t *testing.T) {
	a := oktatest.New(t, oktatest.WithSampleData())
	b := oktatest.New(t)
	b.SeedSample()
	b.SeedSample()

	assert.Equal(t, a.Pools(), b.Pools(), "seeding twice restores the same pools")
	for _, p := range a.Pools() {
		assert.Equal(t, a.Updates(*p.Id), b.Updates(*p.Id))
	}
}

func TestSeededLinksKeepExtraMembers(t *testing.T) {
	srv := oktatest.New(t)
	srv.AddPool(api.AgentPool{
		Name: ptr("linked"),
		Type: ptr(api.AD),
		Links: &api.Links{
			Self:                 &api.HrefObject{Href: "https://stale.example.com/", Name: ptr("stale")},
			AdditionalProperties: map[string]json.RawMessage{"updates": json.RawMessage(`{"href": "https://example.com/updates"}`)},
		},
	})

	_, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")

	pools := decode[[]api.AgentPool](t, body)
	require.Len(t, pools, 1)
	assert.Equal(t, srv.URL+"/api/v1/agentPools/"+*pools[0].Id, pools[0].Links.Self.Href, "the server sets the self link")
	assert.Nil(t, pools[0].Links.Self.Name)
	assert.JSONEq(t, `{"href": "https://example.com/updates"}`, string(pools[0].Links.AdditionalProperties["updates"]))

	stored := srv.Pools()[0]
	stored.Links.Self.Href = "changed"
	assert.Equal(t, "https://stale.example.com/", srv.Pools()[0].Links.Self.Href, "Pools returns deep copies of links")
}
