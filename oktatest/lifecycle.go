package oktatest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/seed570a29ac/agentpools/api"
)

// isScheduled reports whether u is a scheduled update: one with a cron
// schedule. Every other update is ad hoc.
func isScheduled(u *api.AgentPoolUpdate) bool {
	return u.Schedule != nil && u.Schedule.Cron != nil && *u.Schedule.Cron != ""
}

// initialStatus returns the status of a new update: Scheduled when it has a
// cron schedule, InProgress when it is ad hoc and so starts at once.
func initialStatus(u *api.AgentPoolUpdate) api.AgentUpdateJobStatus {
	if isScheduled(u) {
		return api.AgentUpdateJobStatusScheduled
	}
	return api.AgentUpdateJobStatusInProgress
}

// lifecycleAction is one of the POST .../updates/{updateId}/{action}
// operations of the update status model described in the package doc.
type lifecycleAction struct {
	from          []api.AgentUpdateJobStatus // statuses the action applies to
	scheduledOnly bool                       // rejects ad hoc updates
	to            api.AgentUpdateJobStatus   // new status; empty keeps it
	enabled       *bool                      // new value of enabled; nil keeps it
}

var lifecycleActions = map[string]lifecycleAction{
	"activate": {
		from:          []api.AgentUpdateJobStatus{api.AgentUpdateJobStatusScheduled},
		scheduledOnly: true,
		enabled:       ptr(true),
	},
	"deactivate": {
		from:          []api.AgentUpdateJobStatus{api.AgentUpdateJobStatusScheduled},
		scheduledOnly: true,
		enabled:       ptr(false),
	},
	"pause": {
		from: []api.AgentUpdateJobStatus{api.AgentUpdateJobStatusInProgress, api.AgentUpdateJobStatusScheduled},
		to:   api.AgentUpdateJobStatusPaused,
	},
	"resume": {
		from: []api.AgentUpdateJobStatus{api.AgentUpdateJobStatusPaused},
		to:   api.AgentUpdateJobStatusInProgress,
	},
	// NOTE: Okta documents retry for an update that was unsuccessful or
	// lost contact with Okta, both of which end as Failed; a job that an
	// admin stopped (Cancelled) is not retried.
	"retry": {
		from: []api.AgentUpdateJobStatus{api.AgentUpdateJobStatusFailed},
		to:   api.AgentUpdateJobStatusInProgress,
	},
	"stop": {
		from: []api.AgentUpdateJobStatus{
			api.AgentUpdateJobStatusScheduled,
			api.AgentUpdateJobStatusInProgress,
			api.AgentUpdateJobStatusPaused,
		},
		to: api.AgentUpdateJobStatusCancelled,
	},
}

// apply checks that the action named name is allowed for u and changes u
// and the pool's agents. It returns a 400 E0000001 error that names the
// status when the action is not allowed.
func (a lifecycleAction) apply(name string, rec *poolRecord, u *api.AgentPoolUpdate, now time.Time) *apiError {
	if a.scheduledOnly && !isScheduled(u) {
		return validationError("schedule",
			fmt.Sprintf("schedule: cannot %s ad hoc update %s; %s applies only to updates with a cron schedule", name, deref(u.Id), name))
	}

	var status api.AgentUpdateJobStatus
	if u.Status != nil {
		status = *u.Status
	}
	if !slices.Contains(a.from, status) {
		return validationError("status",
			fmt.Sprintf("status: cannot %s update %s in status %q; %s applies only to status %s",
				name, deref(u.Id), status, name, joinStatuses(a.from)))
	}

	if a.enabled != nil {
		u.Enabled = ptr(*a.enabled)
	}
	if a.to != "" {
		setStatus(rec, u, a.to, now)
	}
	return nil
}

func joinStatuses(statuses []api.AgentUpdateJobStatus) string {
	names := make([]string, len(statuses))
	for i, s := range statuses {
		names[i] = string(s)
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// setStatus sets the status of u and the updateStatus of its agents, both
// in u and in the pool. A Success or Failed status sets schedule.lastUpdated
// of a scheduled update to now, and Success moves the agents to the update's
// targetVersion. Paused leaves the agents' updateStatus as it was, because
// the agent status enum has no paused value.
func setStatus(rec *poolRecord, u *api.AgentPoolUpdate, status api.AgentUpdateJobStatus, now time.Time) {
	u.Status = ptr(status)

	if (status == api.AgentUpdateJobStatusSuccess || status == api.AgentUpdateJobStatusFailed) && u.Schedule != nil {
		u.Schedule.LastUpdated = api.NewTimestamp(now.UTC().Truncate(time.Millisecond))
	}

	agentStatus, ok := agentStatusFor(status)
	if !ok || u.Agents == nil {
		return
	}
	for i := range *u.Agents {
		agent := &(*u.Agents)[i]
		updateAgent(agent, agentStatus, u.TargetVersion)
		if agent.Id == nil || rec.pool.Agents == nil {
			continue
		}
		for j := range *rec.pool.Agents {
			poolAgent := &(*rec.pool.Agents)[j]
			if poolAgent.Id != nil && *poolAgent.Id == *agent.Id {
				updateAgent(poolAgent, agentStatus, u.TargetVersion)
			}
		}
	}
}

// agentStatusFor maps a job status to the updateStatus of its agents, and
// reports false when the agents keep theirs.
func agentStatusFor(status api.AgentUpdateJobStatus) (api.AgentUpdateInstanceStatus, bool) {
	switch status {
	case api.AgentUpdateJobStatusScheduled:
		return api.AgentUpdateInstanceStatusScheduled, true
	case api.AgentUpdateJobStatusInProgress:
		return api.AgentUpdateInstanceStatusInProgress, true
	case api.AgentUpdateJobStatusSuccess:
		return api.AgentUpdateInstanceStatusSuccess, true
	case api.AgentUpdateJobStatusFailed:
		return api.AgentUpdateInstanceStatusFailed, true
	case api.AgentUpdateJobStatusCancelled:
		return api.AgentUpdateInstanceStatusCancelled, true
	default:
		return "", false
	}
}

func updateAgent(agent *api.Agent, status api.AgentUpdateInstanceStatus, targetVersion *string) {
	agent.UpdateStatus = ptr(status)

	target := deref(targetVersion)
	switch status {
	case api.AgentUpdateInstanceStatusSuccess:
		if target != "" {
			agent.Version = ptr(target)
			agent.UpdateMessage = ptr("Agent updated to " + target)
		}
	case api.AgentUpdateInstanceStatusFailed:
		agent.UpdateMessage = ptr("Agent failed to update to " + target)
	case api.AgentUpdateInstanceStatusCancelled:
		agent.UpdateMessage = ptr("Update cancelled")
	}
}

// SetUpdateStatus moves an update to status as if Okta's job had advanced,
// without the checks of the lifecycle operations, so a test can finish,
// fail or start a job. It sets the agents' updateStatus in the update and in
// the pool; Success and Failed also set schedule.lastUpdated of a scheduled
// update to the server's clock, and Success sets the agents' version to the
// update's targetVersion. It returns an error when the pool or update does
// not exist or status is not in the spec's enum (seed such a status with
// AddUpdate instead).
func (s *Server) SetUpdateStatus(poolID, updateID string, status api.AgentUpdateJobStatus) error {
	if !status.Valid() {
		return fmt.Errorf("oktatest: update status %q is not in the spec's enum; use AddUpdate to seed it", status)
	}

	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	rec := st.findPool(poolID)
	if rec == nil {
		return fmt.Errorf("oktatest: pool %q not found; add it with AddPool first", poolID)
	}
	_, u := rec.findUpdate(updateID)
	if u == nil {
		return fmt.Errorf("oktatest: update %q of pool %q not found; add it with AddUpdate first", updateID, poolID)
	}

	setStatus(rec, u, status, s.now())
	return nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
