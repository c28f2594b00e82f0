package api

import "maps"

// Request returns the settings as a request body for
// updateAgentPoolsUpdateSettings: every member but the read-only poolId,
// members without a field of their own included, so that a get, a change
// and an update keep what the server sent.
func (s AgentPoolUpdateSetting) Request() AgentPoolUpdateSettingRequest {
	return AgentPoolUpdateSettingRequest{
		AgentType:               s.AgentType,
		ContinueOnError:         s.ContinueOnError,
		LatestVersion:           s.LatestVersion,
		MinimalSupportedVersion: s.MinimalSupportedVersion,
		PoolName:                s.PoolName,
		ReleaseChannel:          s.ReleaseChannel,
		AdditionalProperties:    maps.Clone(s.AdditionalProperties),
	}
}
