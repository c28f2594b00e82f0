package api

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// The plain types are the floor that decoding and encoding the models is
// measured against: the same members and the same pointer for every
// optional member, decoded and encoded by encoding/json v1 as types without
// methods. Enums are plain strings, lastConnection is the Unix milliseconds
// that the fixtures send and lastUpdated the string or null they send. They
// keep no unknown members.
//
// The floor: DecodeJSON and EncodeJSON on the models cost at most 1.10
// times the allocations and bytes, and 1.15 times the time, of
// encoding/json on the plain types. TestCostWithinFloor checks the
// allocations and bytes; the time is for the benchmarks to show, on an idle
// machine, with -count 10 and benchstat.

type plainHints struct {
	Allow *[]string `json:"allow,omitempty"`
}

type plainHref struct {
	Hints     *plainHints `json:"hints,omitempty"`
	Href      string      `json:"href"`
	Name      *string     `json:"name,omitempty"`
	Templated *bool       `json:"templated,omitempty"`
	Type      *string     `json:"type,omitempty"`
}

type plainLinks struct {
	Self *plainHref `json:"self,omitempty"`
}

type plainAgent struct {
	Links               *plainLinks `json:"_links,omitempty"`
	Id                  *string     `json:"id,omitempty"`
	IsHidden            *bool       `json:"isHidden,omitempty"`
	IsLatestGAedVersion *bool       `json:"isLatestGAedVersion,omitempty"`
	LastConnection      *int64      `json:"lastConnection,omitempty"`
	Name                *string     `json:"name,omitempty"`
	OperationalStatus   *string     `json:"operationalStatus,omitempty"`
	PoolId              *string     `json:"poolId,omitempty"`
	Type                *string     `json:"type,omitempty"`
	UpdateMessage       *string     `json:"updateMessage,omitempty"`
	UpdateStatus        *string     `json:"updateStatus,omitempty"`
	Version             *string     `json:"version,omitempty"`
}

type plainPool struct {
	Links             *plainLinks   `json:"_links,omitempty"`
	Agents            *[]plainAgent `json:"agents,omitempty"`
	DisruptedAgents   *int32        `json:"disruptedAgents,omitempty"`
	Id                *string       `json:"id,omitempty"`
	InactiveAgents    *int32        `json:"inactiveAgents,omitempty"`
	Name              *string       `json:"name,omitempty"`
	OperationalStatus *string       `json:"operationalStatus,omitempty"`
	Type              *string       `json:"type,omitempty"`
}

type plainSchedule struct {
	Cron        *string `json:"cron,omitempty"`
	Delay       *int32  `json:"delay,omitempty"`
	Duration    *int32  `json:"duration,omitempty"`
	LastUpdated *string `json:"lastUpdated"`
	Timezone    *string `json:"timezone,omitempty"`
}

type plainUpdate struct {
	Links         *plainLinks    `json:"_links,omitempty"`
	AgentType     *string        `json:"agentType,omitempty"`
	Agents        *[]plainAgent  `json:"agents,omitempty"`
	Enabled       *bool          `json:"enabled,omitempty"`
	Id            *string        `json:"id,omitempty"`
	Name          *string        `json:"name,omitempty"`
	NotifyAdmin   *bool          `json:"notifyAdmin,omitempty"`
	Reason        *string        `json:"reason,omitempty"`
	Schedule      *plainSchedule `json:"schedule,omitempty"`
	SortOrder     *int32         `json:"sortOrder,omitempty"`
	Status        *string        `json:"status,omitempty"`
	TargetVersion *string        `json:"targetVersion,omitempty"`
}

// benchSizes are the numbers of pools, and of updates, in the fixtures.
var benchSizes = []int{1, 20, 200}

// benchAgentsPerPool is the number of agents in each pool and update.
const benchAgentsPerPool = 3

func ptr[T any](v T) *T { return &v }

func benchLinks(href string, allow ...string) *plainLinks {
	self := &plainHref{Href: href}
	if len(allow) > 0 {
		self.Hints = &plainHints{Allow: &allow}
	}
	return &plainLinks{Self: self}
}

func benchAgents(pool int, poolType, updateStatus string) *[]plainAgent {
	agents := make([]plainAgent, benchAgentsPerPool)
	for i := range agents {
		n := pool*benchAgentsPerPool + i
		id := fmt.Sprintf("a53%07dekG8tjbD9J", n)
		poolID := fmt.Sprintf("0oa%07dekG8tjbD9J", pool)
		agents[i] = plainAgent{
			Links:               benchLinks("https://example.okta.com/api/v1/agentPools/" + poolID + "/agents/" + id),
			Id:                  &id,
			IsHidden:            ptr(false),
			IsLatestGAedVersion: ptr(i != benchAgentsPerPool-1),
			LastConnection:      ptr(int64(1733313600000 - n*61_000)),
			Name:                ptr(fmt.Sprintf("dc%02d.region%d.example", i+1, pool)),
			OperationalStatus:   ptr("OPERATIONAL"),
			PoolId:              &poolID,
			Type:                &poolType,
			UpdateMessage:       ptr("Agent updated to 3.20.0"),
			UpdateStatus:        &updateStatus,
			Version:             ptr("3.20.0"),
		}
	}
	return &agents
}

// benchPools returns n pools as the listAgentPools operation returns them.
func benchPools(n int) []plainPool {
	pools := make([]plainPool, n)
	for i := range pools {
		id := fmt.Sprintf("0oa%07dekG8tjbD9J", i)
		pools[i] = plainPool{
			Links:             benchLinks("https://example.okta.com/api/v1/agentPools/" + id),
			Agents:            benchAgents(i, "AD", "Success"),
			DisruptedAgents:   ptr(int32(0)),
			Id:                &id,
			InactiveAgents:    ptr(int32(i % 2)),
			Name:              ptr(fmt.Sprintf("region%d.dc", i)),
			OperationalStatus: ptr("OPERATIONAL"),
			Type:              ptr("AD"),
		}
	}
	return pools
}

// benchUpdates returns n updates of pool 0 as the listAgentPoolsUpdates
// operation returns them. The first has never run, so its lastUpdated is
// null.
func benchUpdates(n int) []plainUpdate {
	updates := make([]plainUpdate, n)
	for i := range updates {
		id := fmt.Sprintf("0oa9%06dekG8tjbD9J", i)
		schedule := &plainSchedule{
			Cron:     ptr("0 8 ? * 6#3"),
			Delay:    ptr(int32(0)),
			Duration: ptr(int32(120)),
			Timezone: ptr("America/New_York"),
		}
		status := "Scheduled"
		if i > 0 {
			status = "Success"
			at := time.UnixMilli(1733313600000 - int64(i)*86_400_000).UTC()
			schedule.LastUpdated = ptr(at.Format("2006-01-02T15:04:05.000Z"))
		}
		updates[i] = plainUpdate{
			Links:         benchLinks("https://example.okta.com/api/v1/agentPools/0oa0000000ekG8tjbD9J/updates/"+id, "GET", "POST", "DELETE"),
			AgentType:     ptr("AD"),
			Agents:        benchAgents(0, "AD", status),
			Enabled:       ptr(true),
			Id:            &id,
			Name:          ptr(fmt.Sprintf("Monthly AD agent update %d", i+1)),
			NotifyAdmin:   ptr(i%2 == 0),
			Reason:        ptr("Keep agents on the latest GA version"),
			Schedule:      schedule,
			SortOrder:     ptr(int32(i)),
			Status:        &status,
			TargetVersion: ptr("3.20.0"),
		}
	}
	return updates
}

func mustMarshal(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// benchDecode decodes data into a new T on each iteration with decode.
func benchDecode[T any](b *testing.B, data []byte, decode func([]byte, any) error) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var v T
		if err := decode(data, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// benchEncode encodes v on each iteration with encode.
func benchEncode(b *testing.B, v any, encode func(any) ([]byte, error)) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encode(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodePools(b *testing.B) {
	for _, n := range benchSizes {
		data := mustMarshal(b, benchPools(n))
		b.Run(fmt.Sprintf("n=%d/impl=plain", n), func(b *testing.B) {
			benchDecode[[]plainPool](b, data, json.Unmarshal)
		})
		b.Run(fmt.Sprintf("n=%d/impl=api", n), func(b *testing.B) {
			benchDecode[[]AgentPool](b, data, DecodeJSON)
		})
		b.Run(fmt.Sprintf("n=%d/impl=api-v1", n), func(b *testing.B) {
			benchDecode[[]AgentPool](b, data, json.Unmarshal)
		})
	}
}

func BenchmarkDecodeUpdates(b *testing.B) {
	for _, n := range benchSizes {
		data := mustMarshal(b, benchUpdates(n))
		b.Run(fmt.Sprintf("n=%d/impl=plain", n), func(b *testing.B) {
			benchDecode[[]plainUpdate](b, data, json.Unmarshal)
		})
		b.Run(fmt.Sprintf("n=%d/impl=api", n), func(b *testing.B) {
			benchDecode[[]AgentPoolUpdate](b, data, DecodeJSON)
		})
		b.Run(fmt.Sprintf("n=%d/impl=api-v1", n), func(b *testing.B) {
			benchDecode[[]AgentPoolUpdate](b, data, json.Unmarshal)
		})
	}
}

func BenchmarkEncodePools(b *testing.B) {
	for _, n := range benchSizes {
		plain := benchPools(n)
		var models []AgentPool
		if err := json.Unmarshal(mustMarshal(b, plain), &models); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("n=%d/impl=plain", n), func(b *testing.B) {
			benchEncode(b, plain, json.Marshal)
		})
		b.Run(fmt.Sprintf("n=%d/impl=api", n), func(b *testing.B) {
			benchEncode(b, &models, EncodeJSON)
		})
		b.Run(fmt.Sprintf("n=%d/impl=api-v1", n), func(b *testing.B) {
			benchEncode(b, models, json.Marshal)
		})
	}
}

func BenchmarkEncodeUpdates(b *testing.B) {
	for _, n := range benchSizes {
		plain := benchUpdates(n)
		var models []AgentPoolUpdate
		if err := json.Unmarshal(mustMarshal(b, plain), &models); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("n=%d/impl=plain", n), func(b *testing.B) {
			benchEncode(b, plain, json.Marshal)
		})
		b.Run(fmt.Sprintf("n=%d/impl=api", n), func(b *testing.B) {
			benchEncode(b, &models, EncodeJSON)
		})
		b.Run(fmt.Sprintf("n=%d/impl=api-v1", n), func(b *testing.B) {
			benchEncode(b, models, json.Marshal)
		})
	}
}
