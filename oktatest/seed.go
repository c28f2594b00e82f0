package oktatest

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/seed570a29ac/agentpools/api"
)

// sampleTime is the "now" of the sample org: agents last connected shortly
// before it. It is fixed, so the sample data is the same in every run.
var sampleTime = time.Date(2025, time.January, 15, 12, 0, 0, 0, time.UTC)

// Seeds of the generator of sample IDs.
const (
	sampleSeed1 = 0x6f6b7461
	sampleSeed2 = 0x706f6f6c
)

// Forms of an agent's lastConnection in the sample org.
const (
	connectedMillis = iota // Unix milliseconds, as current orgs send
	connectedText          // RFC 3339 string, as older orgs send
	connectedNever         // null
)

type sampleAgent struct {
	host       string
	version    string
	status     api.OperationalStatus
	connection int // connectedMillis, connectedText or connectedNever
}

type samplePool struct {
	name    string
	typ     api.AgentType
	channel api.ReleaseChannel
	agents  []sampleAgent
}

// sampleVersions are the latest and the oldest supported agent version of
// each type in the sample org. They are illustrations, not Okta's current
// versions.
var sampleVersions = map[api.AgentType][2]string{
	api.AD:     {"3.20.0", "3.18.0"},
	api.IWA:    {"1.13.2", "1.12.0"},
	api.LDAP:   {"5.18.0", "5.16.0"},
	api.MFA:    {"1.6.1", "1.5.0"},
	api.OPP:    {"2.1.0", "2.0.0"},
	api.RUM:    {"1.4.0", "1.3.0"},
	api.Radius: {"2.22.0", "2.20.0"},
}

const (
	operational = api.OPERATIONAL
	inactive    = api.INACTIVE
	disrupted   = api.DISRUPTED
	degraded    = api.DEGRADED
)

var samplePools = []samplePool{
	{name: "corp.example.com", typ: api.AD, channel: api.GA, agents: []sampleAgent{
		{"dc01.corp.example.com", "3.20.0", operational, connectedMillis},
		{"dc02.corp.example.com", "3.20.0", operational, connectedMillis},
		{"dc03.corp.example.com", "3.19.0", operational, connectedMillis},
	}},
	{name: "emea.corp.example.com", typ: api.AD, channel: api.GA, agents: []sampleAgent{
		{"dc01.emea.corp.example.com", "3.19.0", operational, connectedMillis},
		{"dc02.emea.corp.example.com", "3.18.2", inactive, connectedText},
	}},
	{name: "apac.corp.example.com", typ: api.AD, channel: api.GA, agents: []sampleAgent{
		{"dc01.apac.corp.example.com", "3.20.0", operational, connectedMillis},
		{"dc02.apac.corp.example.com", "3.20.0", operational, connectedMillis},
	}},
	{name: "lab.example.net", typ: api.AD, channel: api.BETA, agents: []sampleAgent{
		{"dc01.lab.example.net", "3.17.0", disrupted, connectedMillis},
	}},
	{name: "acquired.example.org", typ: api.AD, channel: api.EA, agents: []sampleAgent{
		{"dc01.acquired.example.org", "3.19.0", operational, connectedMillis},
		{"dc02.acquired.example.org", "3.19.0", operational, connectedMillis},
		{"dc03.acquired.example.org", "3.19.0", disrupted, connectedMillis},
		{"dc04.acquired.example.org", "3.20.0", operational, connectedMillis},
	}},
	{name: "ldap.corp.example.com", typ: api.LDAP, channel: api.GA, agents: []sampleAgent{
		{"ldap01.corp.example.com", "5.18.0", operational, connectedMillis},
		{"ldap02.corp.example.com", "5.18.0", operational, connectedMillis},
	}},
	{name: "openldap.lab.example.net", typ: api.LDAP, channel: api.TEST, agents: []sampleAgent{
		{"ldap01.lab.example.net", "5.16.0", inactive, connectedNever},
	}},
	{name: "ldap.partners.example.com", typ: api.LDAP, channel: api.GA, agents: []sampleAgent{
		{"ldap01.partners.example.com", "5.17.1", operational, connectedMillis},
		{"ldap02.partners.example.com", "5.17.1", degraded, connectedMillis},
		{"ldap03.partners.example.com", "5.18.0", operational, connectedMillis},
	}},
	{name: "iwa.corp.example.com", typ: api.IWA, channel: api.GA, agents: []sampleAgent{
		{"iwa01.corp.example.com", "1.13.2", operational, connectedMillis},
		{"iwa02.corp.example.com", "1.13.2", operational, connectedMillis},
	}},
	{name: "iwa.legacy.example.com", typ: api.IWA, channel: api.GA, agents: []sampleAgent{
		{"iwa01.legacy.example.com", "1.12.0", operational, connectedMillis},
	}},
	{name: "rum.web.example.com", typ: api.RUM, channel: api.GA, agents: []sampleAgent{
		{"rum01.web.example.com", "1.4.0", operational, connectedMillis},
	}},
	{name: "mfa.vpn.example.com", typ: api.MFA, channel: api.GA, agents: []sampleAgent{
		{"mfa01.vpn.example.com", "1.6.1", operational, connectedMillis},
		{"mfa02.vpn.example.com", "1.6.1", operational, connectedMillis},
	}},
	{name: "mfa.rdp.example.com", typ: api.MFA, channel: api.GA, agents: []sampleAgent{
		{"mfa01.rdp.example.com", "1.5.3", operational, connectedMillis},
	}},
	{name: "opp.hr.example.com", typ: api.OPP, channel: api.GA, agents: []sampleAgent{
		{"opp01.hr.example.com", "2.1.0", operational, connectedMillis},
		{"opp02.hr.example.com", "2.0.4", operational, connectedMillis},
	}},
	{name: "radius.vpn.example.com", typ: api.Radius, channel: api.GA, agents: []sampleAgent{
		{"radius01.vpn.example.com", "2.22.0", operational, connectedMillis},
		{"radius02.vpn.example.com", "2.22.0", operational, connectedMillis},
		{"radius03.vpn.example.com", "2.21.1", operational, connectedMillis},
	}},
}

// sampleUpdate is an update of the sample org. agents lists the indexes of
// the pool's agents it covers; nil means all of them.
type sampleUpdate struct {
	pool        int // index in samplePools
	name        string
	reason      string
	cron        string // empty for an ad hoc update
	timezone    string
	status      api.AgentUpdateJobStatus
	enabled     bool
	lastUpdated string // RFC 3339, or empty for null
	agents      []int
}

var sampleUpdates = []sampleUpdate{
	{pool: 0, name: "Monthly AD agent update", reason: "Keep agents on the latest GA version",
		cron: "0 8 ? * 6#3", timezone: "America/New_York", status: api.AgentUpdateJobStatusScheduled, enabled: true,
		lastUpdated: "2024-12-21T13:00:00.000Z"},
	{pool: 0, name: "Fix for dc02", reason: "Agent failed to report for two days",
		status: api.AgentUpdateJobStatusSuccess, enabled: true, agents: []int{1}},
	{pool: 1, name: "Update EMEA agents", reason: "Move to the GA version before the freeze",
		status: api.AgentUpdateJobStatusInProgress, enabled: true},
	{pool: 5, name: "Monthly LDAP agent update", cron: "0 2 1 * ?", timezone: "Europe/Berlin",
		status: api.AgentUpdateJobStatusPaused, enabled: true},
	{pool: 7, name: "Update partner LDAP agents", reason: "Agents two versions behind",
		status: api.AgentUpdateJobStatusFailed, enabled: true, agents: []int{0, 1}},
	{pool: 8, name: "Update IWA agents", status: api.AgentUpdateJobStatusCancelled, enabled: true},
	{pool: 11, name: "MFA agent update", cron: "30 23 15 * ?", timezone: "Asia/Tokyo",
		status: api.AgentUpdateJobStatusScheduled, enabled: false},
	{pool: 14, name: "RADIUS agent update", cron: "0 4 ? * 0#1", timezone: "UTC",
		status: api.AgentUpdateJobStatusSuccess, enabled: true, lastUpdated: "2025-01-05T04:41:09.000Z"},
}

// SeedSample adds a realistic sample org. It has fifteen pools of all seven
// agent types (five AD, three LDAP, two IWA, two MFA, one each of OPP, RUM
// and Radius) with one to four agents each, and settings for every pool.
// Its eight updates are Scheduled (one of them deactivated), InProgress,
// Paused, Success, Failed and Cancelled. Most agents' lastConnection is in
// Unix milliseconds; one is an RFC 3339 string and one is null.
//
// The data is the same in every run, IDs included, so with
// limitPerPoolType=2 a listing has three pages. Calling SeedSample again
// restores the sample pools and updates.
func (s *Server) SeedSample() {
	rng := rand.New(rand.NewPCG(sampleSeed1, sampleSeed2))

	poolIDs := make([]string, len(samplePools))
	pools := make([]api.AgentPool, len(samplePools))
	for i, sp := range samplePools {
		pools[i] = s.AddPool(buildSamplePool(rng, sp, i))
		poolIDs[i] = *pools[i].Id

		versions := sampleVersions[sp.typ]
		err := s.SetSettings(poolIDs[i], api.AgentPoolUpdateSetting{
			AgentType:               sp.typ,
			ContinueOnError:         ptr(sp.channel == api.GA),
			LatestVersion:           ptr(versions[0]),
			MinimalSupportedVersion: ptr(versions[1]),
			PoolName:                ptr(sp.name),
			ReleaseChannel:          ptr(sp.channel),
		})
		mustSeed(err)
	}

	for order, su := range sampleUpdates {
		sp := samplePools[su.pool]
		u := buildSampleUpdate(rng, su, sp, *pools[su.pool].Agents)
		u.SortOrder = ptr(int32(order))
		_, err := s.AddUpdate(poolIDs[su.pool], u)
		mustSeed(err)
	}

	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	for _, id := range poolIDs {
		copyAgentStatuses(s.store.findPool(id))
	}
}

// copyAgentStatuses sets the updateStatus and updateMessage of the pool's
// agents from the updates that cover them, later updates winning.
func copyAgentStatuses(rec *poolRecord) {
	if rec == nil || rec.pool.Agents == nil {
		return
	}
	for _, u := range rec.updates {
		for _, agent := range deref(u.Agents) {
			for i := range *rec.pool.Agents {
				poolAgent := &(*rec.pool.Agents)[i]
				if deref(poolAgent.Id) == deref(agent.Id) {
					poolAgent.UpdateStatus = clonePtr(agent.UpdateStatus)
					poolAgent.UpdateMessage = clonePtr(agent.UpdateMessage)
				}
			}
		}
	}
}

func buildSamplePool(rng *rand.Rand, sp samplePool, index int) api.AgentPool {
	poolID := newID(rng, poolIDPrefix)
	latest := sampleVersions[sp.typ][0]

	var disruptedCount, inactiveCount, operationalCount int32
	agents := make([]api.Agent, len(sp.agents))
	for i, sa := range sp.agents {
		agents[i] = api.Agent{
			Id:                  ptr(newID(rng, agentIDPrefix)),
			IsHidden:            ptr(false),
			IsLatestGAedVersion: ptr(sa.version == latest),
			Name:                ptr(sa.host),
			OperationalStatus:   ptr(sa.status),
			PoolId:              ptr(poolID),
			Type:                ptr(sp.typ),
			Version:             ptr(sa.version),
		}

		seen := sampleTime.Add(-time.Duration(index*7+i*3+1) * time.Minute)
		switch sa.connection {
		case connectedMillis:
			agents[i].LastConnection = api.NewTimestampMillis(seen)
		case connectedText:
			agents[i].LastConnection = jsonTimestamp(strconv.Quote("2024-11-30T22:04:11.000Z"))
		case connectedNever:
			agents[i].LastConnection = nullTimestamp()
		}

		switch sa.status {
		case disrupted:
			disruptedCount++
		case inactive:
			inactiveCount++
		case operational:
			operationalCount++
		}
	}

	status := degraded
	switch {
	case operationalCount == int32(len(agents)):
		status = operational
	case inactiveCount == int32(len(agents)):
		status = inactive
	case operationalCount == 0:
		status = disrupted
	}

	return api.AgentPool{
		Id:                ptr(poolID),
		Name:              ptr(sp.name),
		Type:              ptr(sp.typ),
		OperationalStatus: ptr(status),
		DisruptedAgents:   ptr(disruptedCount),
		InactiveAgents:    ptr(inactiveCount),
		Agents:            &agents,
	}
}

func buildSampleUpdate(rng *rand.Rand, su sampleUpdate, sp samplePool, poolAgents []api.Agent) api.AgentPoolUpdate {
	u := api.AgentPoolUpdate{
		Id:            ptr(newID(rng, updateIDPrefix)),
		AgentType:     ptr(sp.typ),
		Enabled:       ptr(su.enabled),
		Name:          ptr(su.name),
		NotifyAdmin:   ptr(su.cron != ""),
		Status:        ptr(su.status),
		TargetVersion: ptr(sampleVersions[sp.typ][0]),
	}
	if su.reason != "" {
		u.Reason = ptr(su.reason)
	}

	if su.cron != "" {
		u.Schedule = &api.AutoUpdateSchedule{
			Cron:        ptr(su.cron),
			Delay:       ptr(int32(0)),
			Duration:    ptr(int32(120)),
			Timezone:    ptr(su.timezone),
			LastUpdated: nullTimestamp(),
		}
		if su.lastUpdated != "" {
			u.Schedule.LastUpdated = jsonTimestamp(strconv.Quote(su.lastUpdated))
		}
	}

	indexes := su.agents
	if indexes == nil {
		for i := range poolAgents {
			indexes = append(indexes, i)
		}
	}
	agents := make([]api.Agent, 0, len(indexes))
	agentStatus, ok := agentStatusFor(su.status)
	if !ok {
		agentStatus = api.AgentUpdateInstanceStatusScheduled // a paused update that had not started
	}
	for _, i := range indexes {
		agent := cloneAgent(poolAgents[i])
		agent.UpdateStatus = ptr(agentStatus)
		agents = append(agents, agent)
	}
	u.Agents = &agents
	return u
}

// jsonTimestamp decodes a Timestamp from JSON text, to keep the exact form
// Okta sends, such as milliseconds in an RFC 3339 string.
func jsonTimestamp(text string) api.Timestamp {
	var ts api.Timestamp
	_ = json.Unmarshal([]byte(text), &ts) // the callers pass valid JSON
	return ts
}

// mustSeed panics when storing the fixed sample data fails, which only a
// bug in the fake can cause, so that a sample org is never seeded in part.
func mustSeed(err error) {
	if err != nil {
		panic("oktatest: seeding the sample org failed: " + err.Error())
	}
}
