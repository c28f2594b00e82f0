package client

import (
	"context"
	"errors"

	"github.com/seed570a29ac/agentpools/api"
)

// GetSettings returns the auto-update settings of the pool poolID.
//
// It calls getAgentPoolsUpdateSettings
// (GET /api/v1/agentPools/{poolId}/updates/settings), which needs the scope
// okta.agentPools.read. It is retried as RetryPolicy allows.
func (c *Client) GetSettings(ctx context.Context, poolID string) (*api.AgentPoolUpdateSetting, error) {
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	if err := checkID("poolID", poolID); err != nil {
		return nil, err
	}

	req, err := c.newRequest(ctx, opGetSettings, "", nil, poolID)
	if err != nil {
		return nil, err
	}

	var settings api.AgentPoolUpdateSetting
	if _, err := c.call(ctx, opGetSettings, req, &settings); err != nil {
		return nil, err
	}
	return &settings, nil
}

// EditSettings replaces the auto-update settings of the pool poolID with s
// and returns them as Okta stored them. s.AgentType is required.
//
// It calls updateAgentPoolsUpdateSettings
// (POST /api/v1/agentPools/{poolId}/updates/settings), which needs the
// scope okta.agentPools.manage. Every member of s is sent,
// AdditionalProperties included, except a "poolId" member, which is
// read-only. It is retried only after a 429 response.
func (c *Client) EditSettings(ctx context.Context, poolID string, s api.AgentPoolUpdateSettingRequest) (*api.AgentPoolUpdateSetting, error) {
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	if err := checkID("poolID", poolID); err != nil {
		return nil, err
	}
	if s.AgentType == "" {
		return nil, errors.New("client: settings have an empty AgentType; set it to the agent type of the pool, such as api.AD")
	}

	body, err := encodeBody(opEditSettings, writableSettings(s))
	if err != nil {
		return nil, err
	}
	req, err := c.newRequest(ctx, opEditSettings, "", body, poolID)
	if err != nil {
		return nil, err
	}

	var settings api.AgentPoolUpdateSetting
	if _, err := c.call(ctx, opEditSettings, req, &settings); err != nil {
		return nil, err
	}
	return &settings, nil
}
