package oktatest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/seed570a29ac/agentpools/api"
)

// lookupPool returns the pool's record, or a 404 error. The caller holds
// st.mu.
func (st *store) lookupPool(poolID string) (*poolRecord, *apiError) {
	rec := st.findPool(poolID)
	if rec == nil {
		return nil, notFoundError(poolID, "AgentPool")
	}
	return rec, nil
}

// lookupUpdate returns the pool's record and the stored update, or a 404
// error for an unknown pool or update. The caller holds st.mu.
func (st *store) lookupUpdate(poolID, updateID string) (*poolRecord, *api.AgentPoolUpdate, *apiError) {
	rec, apiErr := st.lookupPool(poolID)
	if apiErr != nil {
		return nil, nil, apiErr
	}
	_, u := rec.findUpdate(updateID)
	if u == nil {
		return nil, nil, notFoundError(updateID, "AgentPoolUpdate")
	}
	return rec, u, nil
}

// listUpdates serves GET .../updates: every update of the pool in creation
// order, or only the scheduled (true) or ad hoc (false) ones.
func (s *Server) listUpdates(req *apiRequest) reply {
	var scheduledOnly *bool
	if text := req.http.URL.Query().Get("scheduled"); text != "" {
		v, err := strconv.ParseBool(text)
		if err != nil {
			return validationError("scheduled", fmt.Sprintf("scheduled: %q is not true or false", text)).reply()
		}
		scheduledOnly = &v
	}

	st := s.store
	st.mu.Lock()
	rec, apiErr := st.lookupPool(req.poolID)
	if apiErr != nil {
		st.mu.Unlock()
		return apiErr.reply()
	}
	updates := []api.AgentPoolUpdate{}
	for _, u := range rec.updates {
		if scheduledOnly == nil || isScheduled(u) == *scheduledOnly {
			updates = append(updates, cloneUpdate(*u))
		}
	}
	st.mu.Unlock()

	base := req.baseURL()
	for i := range updates {
		updates[i] = presentUpdate(updates[i], base, req.poolID)
	}
	return jsonReply(http.StatusOK, updates)
}

// createUpdate serves POST .../updates. The new update gets an ID, status
// Scheduled when it has a cron schedule and InProgress otherwise, enabled
// true unless the body sets it, and schedule.lastUpdated null. An absent
// agents member means every agent of the pool.
func (s *Server) createUpdate(req *apiRequest) reply {
	var body api.AgentPoolUpdate
	if err := json.Unmarshal(req.body, &body); err != nil {
		return validationError("body", "body: "+err.Error()).reply()
	}

	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	rec, apiErr := st.lookupPool(req.poolID)
	if apiErr != nil {
		return apiErr.reply()
	}

	u := api.AgentPoolUpdate{
		Enabled:       ptr(true),
		Name:          body.Name,
		NotifyAdmin:   body.NotifyAdmin,
		Reason:        body.Reason,
		SortOrder:     body.SortOrder,
		TargetVersion: body.TargetVersion,
	}
	if body.Enabled != nil {
		u.Enabled = body.Enabled
	}
	if apiErr := applyWritable(rec, &u, body); apiErr != nil {
		return apiErr.reply()
	}
	if u.AgentType == nil {
		u.AgentType = clonePtr(rec.pool.Type)
	}
	if u.Agents == nil {
		u.Agents = cloneAgents(rec.pool.Agents)
	}
	if u.Agents == nil {
		u.Agents = &[]api.Agent{}
	}
	if u.Schedule != nil {
		u.Schedule.LastUpdated = nullTimestamp()
	}
	u.Id = ptr(newID(st.rng, updateIDPrefix))

	setStatus(rec, &u, initialStatus(&u), req.now)
	rec.updates = append(rec.updates, &u)

	return jsonReply(http.StatusCreated, presentUpdate(cloneUpdate(u), req.baseURL(), req.poolID))
}

// applyWritable checks the members of body that need checking (agentType,
// agents, schedule) and copies them into u when present. Read-only and
// server-set members (id, status, _links, schedule.lastUpdated) and
// unknown members are ignored, as Okta ignores them.
func applyWritable(rec *poolRecord, u *api.AgentPoolUpdate, body api.AgentPoolUpdate) *apiError {
	if body.AgentType != nil {
		if rec.pool.Type != nil && *body.AgentType != *rec.pool.Type {
			return validationError("agentType", fmt.Sprintf("agentType: %s does not match type %s of pool %s",
				*body.AgentType, *rec.pool.Type, deref(rec.pool.Id)))
		}
		u.AgentType = clonePtr(body.AgentType)
	}

	if body.Agents != nil {
		agents, apiErr := resolveAgents(rec, *body.Agents)
		if apiErr != nil {
			return apiErr
		}
		u.Agents = &agents
	}

	if body.Schedule != nil {
		if cron := deref(body.Schedule.Cron); cron != "" && !validCron(cron) {
			return validationError("schedule", cronCause)
		}
		lastUpdated := api.Timestamp{}
		if u.Schedule != nil {
			lastUpdated = u.Schedule.LastUpdated
		}
		u.Schedule = cloneSchedule(body.Schedule)
		u.Schedule.LastUpdated = lastUpdated
	}
	return nil
}

// resolveAgents returns copies of the pool's agents that sent names, by id
// when the sent agent has one and by name otherwise, or a 400 error for an
// agent the pool does not have.
func resolveAgents(rec *poolRecord, sent []api.Agent) ([]api.Agent, *apiError) {
	var poolAgents []api.Agent
	if rec.pool.Agents != nil {
		poolAgents = *rec.pool.Agents
	}
	poolID := deref(rec.pool.Id)

	out := make([]api.Agent, 0, len(sent))
	for i, agent := range sent {
		if agent.PoolId != nil && *agent.PoolId != poolID {
			return nil, validationError("agents", fmt.Sprintf("agents[%d].poolId: %s is not the pool of this update, %s", i, *agent.PoolId, poolID))
		}

		var match *api.Agent
		for j := range poolAgents {
			candidate := &poolAgents[j]
			byID := agent.Id != nil && deref(candidate.Id) == *agent.Id
			byName := agent.Id == nil && agent.Name != nil && deref(candidate.Name) == *agent.Name
			if byID || byName {
				match = candidate
				break
			}
		}
		if match == nil {
			return nil, validationError("agents", fmt.Sprintf("agents[%d]: pool %s has no agent with id %q or name %q",
				i, poolID, deref(agent.Id), deref(agent.Name)))
		}
		out = append(out, cloneAgent(*match))
	}
	return out, nil
}

// getUpdate serves GET .../updates/{updateId}.
func (s *Server) getUpdate(req *apiRequest) reply {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	_, u, apiErr := st.lookupUpdate(req.poolID, req.updateID)
	if apiErr != nil {
		return apiErr.reply()
	}
	return jsonReply(http.StatusOK, presentUpdate(cloneUpdate(*u), req.baseURL(), req.poolID))
}

// changeUpdate serves POST .../updates/{updateId}. Members present in the
// body replace the stored ones; absent members keep their value, and the
// status changes only through the lifecycle operations. New agents take
// the updateStatus that matches the update's status.
func (s *Server) changeUpdate(req *apiRequest) reply {
	var body api.AgentPoolUpdate
	if err := json.Unmarshal(req.body, &body); err != nil {
		return validationError("body", "body: "+err.Error()).reply()
	}

	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	rec, stored, apiErr := st.lookupUpdate(req.poolID, req.updateID)
	if apiErr != nil {
		return apiErr.reply()
	}

	u := cloneUpdate(*stored)
	if apiErr := applyWritable(rec, &u, body); apiErr != nil {
		return apiErr.reply()
	}
	setIfPresent(&u.Enabled, body.Enabled)
	setIfPresent(&u.Name, body.Name)
	setIfPresent(&u.NotifyAdmin, body.NotifyAdmin)
	setIfPresent(&u.Reason, body.Reason)
	setIfPresent(&u.SortOrder, body.SortOrder)
	setIfPresent(&u.TargetVersion, body.TargetVersion)

	if body.Agents != nil {
		if status, ok := agentStatusFor(deref(u.Status)); ok {
			for i := range *u.Agents {
				(*u.Agents)[i].UpdateStatus = ptr(status)
			}
		}
	}

	*stored = u
	return jsonReply(http.StatusCreated, presentUpdate(cloneUpdate(u), req.baseURL(), req.poolID))
}

func setIfPresent[T any](dst **T, src *T) {
	if src != nil {
		*dst = clonePtr(src)
	}
}

// deleteUpdate serves DELETE .../updates/{updateId}, in any status.
func (s *Server) deleteUpdate(req *apiRequest) reply {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	rec, apiErr := st.lookupPool(req.poolID)
	if apiErr != nil {
		return apiErr.reply()
	}
	i, _ := rec.findUpdate(req.updateID)
	if i < 0 {
		return notFoundError(req.updateID, "AgentPoolUpdate").reply()
	}
	rec.updates = append(rec.updates[:i], rec.updates[i+1:]...)
	return emptyReply(http.StatusNoContent)
}

// runLifecycleAction serves POST .../updates/{updateId}/{action}: activate,
// deactivate, pause, resume, retry and stop.
func (s *Server) runLifecycleAction(req *apiRequest) reply {
	action := lifecycleActions[req.op.action]

	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	rec, u, apiErr := st.lookupUpdate(req.poolID, req.updateID)
	if apiErr != nil {
		return apiErr.reply()
	}
	if apiErr := action.apply(req.op.action, rec, u, req.now); apiErr != nil {
		return apiErr.reply()
	}
	return jsonReply(http.StatusCreated, presentUpdate(cloneUpdate(*u), req.baseURL(), req.poolID))
}

// nullTimestamp returns a Timestamp that encodes as JSON null.
func nullTimestamp() api.Timestamp {
	var ts api.Timestamp
	_ = ts.UnmarshalJSON([]byte("null")) // decoding null cannot fail
	return ts
}
