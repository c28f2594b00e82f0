package oktatest

import (
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/seed570a29ac/agentpools/api"
)

// poolRecord is one pool with its updates and settings.
type poolRecord struct {
	pool     api.AgentPool
	updates  []*api.AgentPoolUpdate // in creation order
	settings *api.AgentPoolUpdateSetting
}

// store is the in-memory state of the fake org. Every field is guarded by
// mu, and nothing stored is shared with a caller: values are cloned on the
// way in and on the way out.
type store struct {
	mu    sync.Mutex
	pools []*poolRecord // in the order they were added
	rng   *rand.Rand    // source of new IDs
}

func newStore() *store {
	return &store{rng: newRandomRand()}
}

// findPool returns the record of the pool with the given ID, or nil.
// The caller holds st.mu.
func (st *store) findPool(poolID string) *poolRecord {
	for _, rec := range st.pools {
		if rec.pool.Id != nil && *rec.pool.Id == poolID {
			return rec
		}
	}
	return nil
}

// findUpdate returns the index and the stored update with the given ID,
// or -1 and nil.
func (rec *poolRecord) findUpdate(updateID string) (int, *api.AgentPoolUpdate) {
	for i, u := range rec.updates {
		if u.Id != nil && *u.Id == updateID {
			return i, u
		}
	}
	return -1, nil
}

// effectiveSettings returns the stored settings of the pool, or the
// settings a pool has before anyone changed them: its type and name, the
// GA release channel and continueOnError false.
func (rec *poolRecord) effectiveSettings() api.AgentPoolUpdateSetting {
	if rec.settings != nil {
		return cloneSettings(*rec.settings)
	}

	settings := api.AgentPoolUpdateSetting{
		PoolId:          clonePtr(rec.pool.Id),
		PoolName:        clonePtr(rec.pool.Name),
		ReleaseChannel:  ptr(api.GA),
		ContinueOnError: ptr(false),
	}
	if rec.pool.Type != nil {
		settings.AgentType = *rec.pool.Type
	}
	return settings
}

// AddPool stores a copy of pool and returns it as stored. It assigns an
// Okta-style ID when pool.Id is nil or empty, and gives each agent an ID
// and the pool's ID when those are nil. Everything else is kept as given,
// including values outside the spec's enums, so clients can be tested
// against data that a newer Okta release might send. A pool with the ID of
// a stored pool replaces it and keeps that pool's updates and settings.
//
// AddPool is safe for concurrent use, as are all seeding and inspection
// methods.
func (s *Server) AddPool(pool api.AgentPool) api.AgentPool {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	p := clonePool(pool)
	if p.Id == nil || *p.Id == "" {
		p.Id = ptr(newID(st.rng, poolIDPrefix))
	}
	if p.Agents != nil {
		for i := range *p.Agents {
			agent := &(*p.Agents)[i]
			if agent.Id == nil {
				agent.Id = ptr(newID(st.rng, agentIDPrefix))
			}
			if agent.PoolId == nil {
				agent.PoolId = ptr(*p.Id)
			}
		}
	}

	if rec := st.findPool(*p.Id); rec != nil {
		rec.pool = p
	} else {
		st.pools = append(st.pools, &poolRecord{pool: p})
	}
	return clonePool(p)
}

// AddUpdate stores a copy of update in the pool with ID poolID and returns
// it as stored. It assigns an ID when update.Id is nil or empty, sets
// agentType to the pool's type when nil, and sets status when nil:
// Scheduled for an update with a cron schedule, InProgress for an ad hoc
// one. Everything else is kept as given, including statuses outside the
// spec's enum. An update with the ID of a stored update of the pool
// replaces it. AddUpdate returns an error when the pool does not exist.
func (s *Server) AddUpdate(poolID string, update api.AgentPoolUpdate) (api.AgentPoolUpdate, error) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	rec := st.findPool(poolID)
	if rec == nil {
		return api.AgentPoolUpdate{}, fmt.Errorf("oktatest: pool %q not found; add it with AddPool first", poolID)
	}

	u := cloneUpdate(update)
	if u.Id == nil || *u.Id == "" {
		u.Id = ptr(newID(st.rng, updateIDPrefix))
	}
	if u.AgentType == nil {
		u.AgentType = clonePtr(rec.pool.Type)
	}
	if u.Status == nil {
		u.Status = ptr(initialStatus(&u))
	}

	if i, _ := rec.findUpdate(*u.Id); i >= 0 {
		rec.updates[i] = &u
	} else {
		rec.updates = append(rec.updates, &u)
	}
	return cloneUpdate(u), nil
}

// SetSettings stores a copy of settings as the update settings of the pool
// with ID poolID, with poolId set to poolID. It returns an error when the
// pool does not exist.
func (s *Server) SetSettings(poolID string, settings api.AgentPoolUpdateSetting) error {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	rec := st.findPool(poolID)
	if rec == nil {
		return fmt.Errorf("oktatest: pool %q not found; add it with AddPool first", poolID)
	}

	stored := cloneSettings(settings)
	stored.PoolId = ptr(poolID)
	rec.settings = &stored
	return nil
}

// Pools returns copies of the stored pools in the order they were added,
// without the _links that the server adds to its responses.
func (s *Server) Pools() []api.AgentPool {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	out := make([]api.AgentPool, 0, len(st.pools))
	for _, rec := range st.pools {
		out = append(out, clonePool(rec.pool))
	}
	return out
}

// Updates returns copies of the updates of the pool with ID poolID in the
// order they were created, or nil when the pool does not exist.
func (s *Server) Updates(poolID string) []api.AgentPoolUpdate {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	rec := st.findPool(poolID)
	if rec == nil {
		return nil
	}
	out := make([]api.AgentPoolUpdate, 0, len(rec.updates))
	for _, u := range rec.updates {
		out = append(out, cloneUpdate(*u))
	}
	return out
}

// Update returns a copy of one update of a pool, and false when the pool or
// the update does not exist.
func (s *Server) Update(poolID, updateID string) (api.AgentPoolUpdate, bool) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	rec := st.findPool(poolID)
	if rec == nil {
		return api.AgentPoolUpdate{}, false
	}
	_, u := rec.findUpdate(updateID)
	if u == nil {
		return api.AgentPoolUpdate{}, false
	}
	return cloneUpdate(*u), true
}

// Settings returns a copy of the update settings of the pool with ID
// poolID, as getAgentPoolsUpdateSettings returns them, and false when the
// pool does not exist. A pool whose settings were never set has the
// pool's type and name, the GA release channel and continueOnError false.
func (s *Server) Settings(poolID string) (api.AgentPoolUpdateSetting, bool) {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	rec := st.findPool(poolID)
	if rec == nil {
		return api.AgentPoolUpdateSetting{}, false
	}
	return rec.effectiveSettings(), true
}

func ptr[T any](v T) *T {
	return &v
}
