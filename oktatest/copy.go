package oktatest

import (
	"bytes"
	"encoding/json"
	"slices"

	"github.com/seed570a29ac/agentpools/api"
)

// The clone functions return deep copies of the models, so that neither
// the caller of a seeding or inspection method nor a handler shares memory
// with the stored state. api.Timestamp is copied by value: its JSON bytes
// are shared, which is safe because a Timestamp never changes them in place.

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneExtra(m map[string]json.RawMessage) map[string]json.RawMessage {
	if m == nil {
		return nil
	}
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[k] = bytes.Clone(v)
	}
	return out
}

func cloneHref(h *api.HrefObject) *api.HrefObject {
	if h == nil {
		return nil
	}
	out := *h
	out.Name = clonePtr(h.Name)
	out.Type = clonePtr(h.Type)
	out.Templated = clonePtr(h.Templated)
	out.AdditionalProperties = cloneExtra(h.AdditionalProperties)
	if h.Hints != nil {
		hints := api.HrefObject_Hints{AdditionalProperties: cloneExtra(h.Hints.AdditionalProperties)}
		if h.Hints.Allow != nil {
			allow := slices.Clone(*h.Hints.Allow)
			hints.Allow = &allow
		}
		out.Hints = &hints
	}
	return &out
}

func cloneLinks(l *api.Links) *api.Links {
	if l == nil {
		return nil
	}
	return &api.Links{Self: cloneHref(l.Self), AdditionalProperties: cloneExtra(l.AdditionalProperties)}
}

func cloneAgent(a api.Agent) api.Agent {
	out := a
	out.Links = cloneLinks(a.Links)
	out.Id = clonePtr(a.Id)
	out.IsHidden = clonePtr(a.IsHidden)
	out.IsLatestGAedVersion = clonePtr(a.IsLatestGAedVersion)
	out.Name = clonePtr(a.Name)
	out.OperationalStatus = clonePtr(a.OperationalStatus)
	out.PoolId = clonePtr(a.PoolId)
	out.Type = clonePtr(a.Type)
	out.UpdateMessage = clonePtr(a.UpdateMessage)
	out.UpdateStatus = clonePtr(a.UpdateStatus)
	out.Version = clonePtr(a.Version)
	out.AdditionalProperties = cloneExtra(a.AdditionalProperties)
	return out
}

func cloneAgents(p *[]api.Agent) *[]api.Agent {
	if p == nil {
		return nil
	}
	out := make([]api.Agent, len(*p))
	for i, a := range *p {
		out[i] = cloneAgent(a)
	}
	return &out
}

func clonePool(p api.AgentPool) api.AgentPool {
	out := p
	out.Links = cloneLinks(p.Links)
	out.Agents = cloneAgents(p.Agents)
	out.DisruptedAgents = clonePtr(p.DisruptedAgents)
	out.Id = clonePtr(p.Id)
	out.InactiveAgents = clonePtr(p.InactiveAgents)
	out.Name = clonePtr(p.Name)
	out.OperationalStatus = clonePtr(p.OperationalStatus)
	out.Type = clonePtr(p.Type)
	out.AdditionalProperties = cloneExtra(p.AdditionalProperties)
	return out
}

func cloneSchedule(s *api.AutoUpdateSchedule) *api.AutoUpdateSchedule {
	if s == nil {
		return nil
	}
	out := *s
	out.Cron = clonePtr(s.Cron)
	out.Delay = clonePtr(s.Delay)
	out.Duration = clonePtr(s.Duration)
	out.Timezone = clonePtr(s.Timezone)
	out.AdditionalProperties = cloneExtra(s.AdditionalProperties)
	return &out
}

func cloneUpdate(u api.AgentPoolUpdate) api.AgentPoolUpdate {
	out := u
	out.Links = cloneLinks(u.Links)
	out.AgentType = clonePtr(u.AgentType)
	out.Agents = cloneAgents(u.Agents)
	out.Enabled = clonePtr(u.Enabled)
	out.Id = clonePtr(u.Id)
	out.Name = clonePtr(u.Name)
	out.NotifyAdmin = clonePtr(u.NotifyAdmin)
	out.Reason = clonePtr(u.Reason)
	out.Schedule = cloneSchedule(u.Schedule)
	out.SortOrder = clonePtr(u.SortOrder)
	out.Status = clonePtr(u.Status)
	out.TargetVersion = clonePtr(u.TargetVersion)
	out.AdditionalProperties = cloneExtra(u.AdditionalProperties)
	return out
}

func cloneSettings(s api.AgentPoolUpdateSetting) api.AgentPoolUpdateSetting {
	out := s
	out.ContinueOnError = clonePtr(s.ContinueOnError)
	out.LatestVersion = clonePtr(s.LatestVersion)
	out.MinimalSupportedVersion = clonePtr(s.MinimalSupportedVersion)
	out.PoolId = clonePtr(s.PoolId)
	out.PoolName = clonePtr(s.PoolName)
	out.ReleaseChannel = clonePtr(s.ReleaseChannel)
	out.AdditionalProperties = cloneExtra(s.AdditionalProperties)
	return out
}
