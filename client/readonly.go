package client

import (
	"encoding/json"
	"strings"

	"github.com/seed570a29ac/agentpools/api"
)

// writableUpdate returns a copy of u without the members that the API
// defines as read-only: id and _links of the update and of each agent.
// Every other member, AdditionalProperties included, is kept, so an update
// fetched, changed and sent back carries everything the server sent.
// u itself is not changed.
func writableUpdate(u api.AgentPoolUpdate) api.AgentPoolUpdate {
	u.Id = nil
	u.Links = nil

	if u.Agents != nil {
		agents := make([]api.Agent, len(*u.Agents))
		for i, agent := range *u.Agents {
			agent.Id = nil
			agent.Links = nil
			agents[i] = agent
		}
		u.Agents = &agents
	}
	return u
}

// writableSettings returns a copy of s without a "poolId" member in
// AdditionalProperties. The pool ID is a read-only field of the settings
// that Okta returns, and would appear there when a caller copies the
// members of a fetched api.AgentPoolUpdateSetting into the request.
// s itself is not changed.
func writableSettings(s api.AgentPoolUpdateSettingRequest) api.AgentPoolUpdateSettingRequest {
	if len(s.AdditionalProperties) == 0 {
		return s
	}

	extra := make(map[string]json.RawMessage, len(s.AdditionalProperties))
	for name, value := range s.AdditionalProperties {
		if strings.EqualFold(name, "poolId") {
			continue
		}
		extra[name] = value
	}
	s.AdditionalProperties = extra
	return s
}
