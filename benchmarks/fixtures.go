package benchmarks

import (
	"encoding/json"
	"fmt"
	"time"
)

// TimeForm is how a fixture writes the lastConnection of its agents.
type TimeForm int

const (
	// Millis writes Unix time in milliseconds, as current Okta orgs do.
	Millis TimeForm = iota

	// RFC3339 writes an RFC 3339 string with milliseconds, as older orgs
	// do. The official SDK v5.0.2 decodes only this form.
	RFC3339
)

// AgentsPerPool is the number of agents in every pool of a fixture.
const AgentsPerPool = 3

// baseMillis is the lastConnection of the first agent: 2024-12-04T12:00:00Z.
const baseMillis int64 = 1733313600000

// fixtureOrigin is the origin written into the _links of the fixtures. The
// clients never follow these links.
const fixtureOrigin = "https://subdomain.okta.com"

// The fixture types fix the member order of the encoded JSON, which follows
// the examples of the OpenAPI document. They are only encoded.

type fixtureHref struct {
	Href  string        `json:"href"`
	Hints *fixtureHints `json:"hints,omitempty"`
}

type fixtureHints struct {
	Allow []string `json:"allow"`
}

type fixtureLinks struct {
	Self fixtureHref `json:"self"`
}

type fixtureAgent struct {
	ID                  string       `json:"id"`
	Name                string       `json:"name"`
	Type                string       `json:"type"`
	PoolID              string       `json:"poolId"`
	Version             string       `json:"version"`
	OperationalStatus   string       `json:"operationalStatus"`
	UpdateStatus        string       `json:"updateStatus"`
	UpdateMessage       string       `json:"updateMessage"`
	IsHidden            bool         `json:"isHidden"`
	IsLatestGAedVersion bool         `json:"isLatestGAedVersion"`
	LastConnection      any          `json:"lastConnection"`
	Links               fixtureLinks `json:"_links"`
}

type fixturePool struct {
	ID                string         `json:"id"`
	Name              string         `json:"name"`
	Type              string         `json:"type"`
	OperationalStatus string         `json:"operationalStatus"`
	DisruptedAgents   int            `json:"disruptedAgents"`
	InactiveAgents    int            `json:"inactiveAgents"`
	Agents            []fixtureAgent `json:"agents"`
	Links             fixtureLinks   `json:"_links"`
}

type fixtureSchedule struct {
	Cron        string `json:"cron"`
	Delay       int    `json:"delay"`
	Duration    int    `json:"duration"`
	LastUpdated any    `json:"lastUpdated"`
	Timezone    string `json:"timezone"`
}

type fixtureUpdate struct {
	ID            string          `json:"id"`
	AgentType     string          `json:"agentType"`
	Enabled       bool            `json:"enabled"`
	Name          string          `json:"name"`
	NotifyAdmin   bool            `json:"notifyAdmin"`
	Reason        string          `json:"reason"`
	Schedule      fixtureSchedule `json:"schedule"`
	SortOrder     int             `json:"sortOrder"`
	Status        string          `json:"status"`
	TargetVersion string          `json:"targetVersion"`
	Agents        []fixtureAgent  `json:"agents"`
	Links         fixtureLinks    `json:"_links"`
}

// oktaID returns a 20-character Okta-style ID: prefix, n in seven digits,
// and a fixed filler.
func oktaID(prefix string, n int) string {
	const filler = "ekG8tjbD9J5s6ZxQ"
	id := fmt.Sprintf("%s%07d%s", prefix, n, filler)
	return id[:20]
}

// PoolID returns the ID of pool n of the fixtures.
func PoolID(n int) string { return oktaID("0oa", n) }

// UpdateID returns the ID of update n of the fixtures.
func UpdateID(n int) string { return oktaID("0oa9", n) }

func lastConnection(n int, form TimeForm) any {
	ms := baseMillis - int64(n)*61_000
	if form == RFC3339 {
		return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return ms
}

func newAgent(pool, n int, poolType string, form TimeForm) fixtureAgent {
	agentNumber := pool*AgentsPerPool + n
	agent := fixtureAgent{
		ID:                  oktaID("a53", agentNumber),
		Name:                fmt.Sprintf("dc%02d.region%d.example", n+1, pool),
		Type:                poolType,
		PoolID:              PoolID(pool),
		Version:             "3.20.0",
		OperationalStatus:   "OPERATIONAL",
		UpdateStatus:        "Success",
		UpdateMessage:       "Agent updated to 3.20.0",
		IsHidden:            false,
		IsLatestGAedVersion: true,
		LastConnection:      lastConnection(agentNumber, form),
	}
	if n == AgentsPerPool-1 {
		agent.Version = "3.19.0"
		agent.OperationalStatus = "INACTIVE"
		agent.UpdateStatus = "Failed"
		agent.UpdateMessage = "Agent did not report after the update"
		agent.IsLatestGAedVersion = false
	}
	agent.Links.Self.Href = fixtureOrigin + "/api/v1/agentPools/" + agent.PoolID + "/agents/" + agent.ID
	return agent
}

func newPool(n int, form TimeForm) fixturePool {
	poolType := "AD"
	if n%4 == 3 {
		poolType = "LDAP"
	}

	pool := fixturePool{
		ID:                PoolID(n),
		Name:              fmt.Sprintf("region%d.dc", n),
		Type:              poolType,
		OperationalStatus: "OPERATIONAL",
		DisruptedAgents:   0,
		InactiveAgents:    1,
	}
	if n%5 == 4 {
		pool.OperationalStatus = "DEGRADED"
		pool.DisruptedAgents = 1
	}
	for i := range AgentsPerPool {
		pool.Agents = append(pool.Agents, newAgent(n, i, poolType, form))
	}
	pool.Links.Self.Href = fixtureOrigin + "/api/v1/agentPools/" + pool.ID
	return pool
}

// PoolsPage returns the JSON array of count pools numbered from first, each
// with AgentsPerPool agents, in the shape of the listAgentPools response.
func PoolsPage(first, count int, form TimeForm) []byte {
	pools := make([]fixturePool, 0, count)
	for n := first; n < first+count; n++ {
		pools = append(pools, newPool(n, form))
	}
	return mustMarshal(pools)
}

func newUpdate(pool, n int, form TimeForm) fixtureUpdate {
	update := fixtureUpdate{
		ID:            UpdateID(n),
		AgentType:     "AD",
		Enabled:       true,
		Name:          fmt.Sprintf("Monthly AD agent update %d", n+1),
		NotifyAdmin:   n%2 == 0,
		Reason:        "Keep agents on the latest GA version",
		SortOrder:     n,
		Status:        "Scheduled",
		TargetVersion: "3.20.0",
		Schedule: fixtureSchedule{
			Cron:        "0 8 ? * 6#3",
			Delay:       0,
			Duration:    120,
			LastUpdated: nil,
			Timezone:    "America/New_York",
		},
	}
	if n > 0 {
		update.Status = "Success"
		update.Schedule.LastUpdated = time.UnixMilli(baseMillis - int64(n)*86_400_000).UTC().Format("2006-01-02T15:04:05.000Z")
	}
	for i := range AgentsPerPool {
		agent := newAgent(pool, i, "AD", form)
		agent.UpdateStatus = update.Status
		update.Agents = append(update.Agents, agent)
	}
	update.Links.Self = fixtureHref{
		Href:  fixtureOrigin + "/api/v1/agentPools/" + PoolID(pool) + "/updates/" + update.ID,
		Hints: &fixtureHints{Allow: []string{"GET", "POST", "DELETE"}},
	}
	return update
}

// UpdatesList returns the JSON array of count updates of pool 0, each for
// AgentsPerPool agents, in the shape of the listAgentPoolsUpdates response.
func UpdatesList(count int, form TimeForm) []byte {
	updates := make([]fixtureUpdate, 0, count)
	for n := range count {
		updates = append(updates, newUpdate(0, n, form))
	}
	return mustMarshal(updates)
}

// ActivatedUpdate returns the JSON object of update 0 of pool 0 after its
// activation, in the shape of the activateAgentPoolsUpdate response.
func ActivatedUpdate(form TimeForm) []byte {
	update := newUpdate(0, 0, form)
	update.Status = "Scheduled"
	return mustMarshal(update)
}

// mustMarshal encodes fixture values, which cannot fail to encode.
func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("benchmarks: encoding a fixture: %v", err))
	}
	return b
}
