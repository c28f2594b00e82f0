package oktatest

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/seed570a29ac/agentpools/api"
)

// getSettings serves GET .../updates/settings.
func (s *Server) getSettings(req *apiRequest) reply {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()

	rec, apiErr := st.lookupPool(req.poolID)
	if apiErr != nil {
		return apiErr.reply()
	}
	return jsonReply(http.StatusOK, rec.effectiveSettings())
}

// updateSettings serves POST .../updates/settings. agentType must be the
// pool's type; the other members present in the body replace the stored
// ones, and poolId is always the pool's ID.
func (s *Server) updateSettings(req *apiRequest) reply {
	var body api.AgentPoolUpdateSettingRequest
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
	if rec.pool.Type != nil && body.AgentType != *rec.pool.Type {
		return validationError("agentType", fmt.Sprintf("agentType: %s does not match type %s of pool %s",
			body.AgentType, *rec.pool.Type, req.poolID)).reply()
	}

	settings := rec.effectiveSettings()
	settings.AgentType = body.AgentType
	settings.PoolId = ptr(req.poolID)
	setIfPresent(&settings.ContinueOnError, body.ContinueOnError)
	setIfPresent(&settings.LatestVersion, body.LatestVersion)
	setIfPresent(&settings.MinimalSupportedVersion, body.MinimalSupportedVersion)
	setIfPresent(&settings.PoolName, body.PoolName)
	setIfPresent(&settings.ReleaseChannel, body.ReleaseChannel)
	rec.settings = &settings

	return jsonReply(http.StatusCreated, cloneSettings(settings))
}
