package client

import (
	"context"
	"net/http"
	"strconv"

	"github.com/seed570a29ac/agentpools/api"
)

// ListUpdatesOptions selects the updates that ListUpdates returns. The zero
// value returns every update of the pool.
type ListUpdatesOptions struct {
	// Scheduled, when set, returns only scheduled updates (true) or only
	// ad hoc updates (false).
	Scheduled *bool
}

// ListUpdates returns the updates of the pool poolID; a nil opts returns
// all of them. The list is not paginated.
//
// It calls listAgentPoolsUpdates (GET /api/v1/agentPools/{poolId}/updates),
// which needs the scope okta.agentPools.read. It is retried as RetryPolicy
// allows.
func (c *Client) ListUpdates(ctx context.Context, poolID string, opts *ListUpdatesOptions) ([]api.AgentPoolUpdate, error) {
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	if err := checkID("poolID", poolID); err != nil {
		return nil, err
	}

	var query string
	if opts != nil && opts.Scheduled != nil {
		query = addQueryParam(query, "scheduled", strconv.FormatBool(*opts.Scheduled))
	}
	req, err := c.newRequest(ctx, opListUpdates, query, nil, poolID)
	if err != nil {
		return nil, err
	}

	var updates []api.AgentPoolUpdate
	if _, err := c.call(ctx, opListUpdates, req, &updates); err != nil {
		return nil, err
	}
	return updates, nil
}

// CreateUpdate creates an update of the agents of the pool poolID and
// returns it as Okta stored it, with its ID.
//
// It calls createAgentPoolsUpdate (POST /api/v1/agentPools/{poolId}/updates),
// which needs the scope okta.agentPools.manage. The read-only members of u
// (id and _links of the update and of each agent) are left out of the
// request. Every other member, AdditionalProperties included, is sent. It
// is retried only after a 429 response, because a repeat after a server or
// network error could create a second update.
func (c *Client) CreateUpdate(ctx context.Context, poolID string, u api.AgentPoolUpdate) (*api.AgentPoolUpdate, error) {
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	if err := checkID("poolID", poolID); err != nil {
		return nil, err
	}

	body, err := encodeBody(opCreateUpdate, writableUpdate(u))
	if err != nil {
		return nil, err
	}
	req, err := c.newRequest(ctx, opCreateUpdate, "", body, poolID)
	if err != nil {
		return nil, err
	}

	return c.callForUpdate(ctx, opCreateUpdate, req)
}

// GetUpdate returns the update updateID of the pool poolID.
//
// It calls getAgentPoolsUpdateInstance
// (GET /api/v1/agentPools/{poolId}/updates/{updateId}), which needs the
// scope okta.agentPools.read. It is retried as RetryPolicy allows.
func (c *Client) GetUpdate(ctx context.Context, poolID, updateID string) (*api.AgentPoolUpdate, error) {
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	if err := checkIDs(poolID, updateID); err != nil {
		return nil, err
	}

	req, err := c.newRequest(ctx, opGetUpdate, "", nil, poolID, updateID)
	if err != nil {
		return nil, err
	}
	return c.callForUpdate(ctx, opGetUpdate, req)
}

// EditUpdate replaces the update updateID of the pool poolID with u and
// returns it as Okta stored it.
//
// It calls updateAgentPoolsUpdate
// (POST /api/v1/agentPools/{poolId}/updates/{updateId}), which needs the
// scope okta.agentPools.manage. The read-only members of u (id and _links
// of the update and of each agent) are left out of the request. Every
// other member, AdditionalProperties included, is sent. So an update from
// GetUpdate with one field changed keeps everything Okta sent. It is
// retried only after a 429 response.
func (c *Client) EditUpdate(ctx context.Context, poolID, updateID string, u api.AgentPoolUpdate) (*api.AgentPoolUpdate, error) {
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	if err := checkIDs(poolID, updateID); err != nil {
		return nil, err
	}

	body, err := encodeBody(opEditUpdate, writableUpdate(u))
	if err != nil {
		return nil, err
	}
	req, err := c.newRequest(ctx, opEditUpdate, "", body, poolID, updateID)
	if err != nil {
		return nil, err
	}

	return c.callForUpdate(ctx, opEditUpdate, req)
}

// DeleteUpdate deletes the update updateID of the pool poolID.
//
// It calls deleteAgentPoolsUpdate
// (DELETE /api/v1/agentPools/{poolId}/updates/{updateId}), which needs the
// scope okta.agentPools.manage. It is retried as RetryPolicy allows; when
// an earlier attempt deleted the update, a retry returns the 404 *Error.
func (c *Client) DeleteUpdate(ctx context.Context, poolID, updateID string) error {
	if err := checkContext(ctx); err != nil {
		return err
	}
	if err := checkIDs(poolID, updateID); err != nil {
		return err
	}

	req, err := c.newRequest(ctx, opDeleteUpd, "", nil, poolID, updateID)
	if err != nil {
		return err
	}
	_, err = c.call(ctx, opDeleteUpd, req, nil)
	return err
}

// ActivateUpdate activates the scheduled update updateID of the pool
// poolID and returns the update.
//
// It calls activateAgentPoolsUpdate
// (POST /api/v1/agentPools/{poolId}/updates/{updateId}/activate), which
// needs the scope okta.agentPools.manage. The request has no body. It is
// retried as RetryPolicy allows, because activating twice leaves the same
// state as once.
func (c *Client) ActivateUpdate(ctx context.Context, poolID, updateID string) (*api.AgentPoolUpdate, error) {
	return c.updateAction(ctx, opActivate, poolID, updateID)
}

// DeactivateUpdate deactivates the scheduled update updateID of the pool
// poolID and returns the update.
//
// It calls deactivateAgentPoolsUpdate
// (POST /api/v1/agentPools/{poolId}/updates/{updateId}/deactivate), which
// needs the scope okta.agentPools.manage. The request has no body. It is
// retried as RetryPolicy allows, because deactivating twice leaves the same
// state as once.
func (c *Client) DeactivateUpdate(ctx context.Context, poolID, updateID string) (*api.AgentPoolUpdate, error) {
	return c.updateAction(ctx, opDeactivate, poolID, updateID)
}

// PauseUpdate pauses the running or queued update updateID of the pool
// poolID and returns the update.
//
// It calls pauseAgentPoolsUpdate
// (POST /api/v1/agentPools/{poolId}/updates/{updateId}/pause), which needs
// the scope okta.agentPools.manage. The request has no body. It is retried
// as RetryPolicy allows, because pausing twice leaves the same state as
// once.
func (c *Client) PauseUpdate(ctx context.Context, poolID, updateID string) (*api.AgentPoolUpdate, error) {
	return c.updateAction(ctx, opPause, poolID, updateID)
}

// ResumeUpdate resumes the paused update updateID of the pool poolID and
// returns the update.
//
// It calls resumeAgentPoolsUpdate
// (POST /api/v1/agentPools/{poolId}/updates/{updateId}/resume), which
// needs the scope okta.agentPools.manage. The request has no body. It is
// retried as RetryPolicy allows, because resuming twice leaves the same
// state as once.
func (c *Client) ResumeUpdate(ctx context.Context, poolID, updateID string) (*api.AgentPoolUpdate, error) {
	return c.updateAction(ctx, opResume, poolID, updateID)
}

// RetryUpdate starts the failed update updateID of the pool poolID again
// and returns the update.
//
// It calls retryAgentPoolsUpdate
// (POST /api/v1/agentPools/{poolId}/updates/{updateId}/retry), which needs
// the scope okta.agentPools.manage. The request has no body. It is retried
// only after a 429 response, because a repeat after a server or network
// error could start a second run.
func (c *Client) RetryUpdate(ctx context.Context, poolID, updateID string) (*api.AgentPoolUpdate, error) {
	return c.updateAction(ctx, opRetry, poolID, updateID)
}

// StopUpdate stops the unfinished update updateID of the pool poolID and
// returns the update.
//
// It calls stopAgentPoolsUpdate
// (POST /api/v1/agentPools/{poolId}/updates/{updateId}/stop), which needs
// the scope okta.agentPools.manage. The request has no body. It is retried
// as RetryPolicy allows, because stopping twice leaves the same state as
// once.
func (c *Client) StopUpdate(ctx context.Context, poolID, updateID string) (*api.AgentPoolUpdate, error) {
	return c.updateAction(ctx, opStop, poolID, updateID)
}

// updateAction sends the body-less lifecycle action op.
func (c *Client) updateAction(ctx context.Context, op operation, poolID, updateID string) (*api.AgentPoolUpdate, error) {
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	if err := checkIDs(poolID, updateID); err != nil {
		return nil, err
	}

	req, err := c.newRequest(ctx, op, "", nil, poolID, updateID)
	if err != nil {
		return nil, err
	}
	return c.callForUpdate(ctx, op, req)
}

// callForUpdate sends req and decodes the update in the response.
func (c *Client) callForUpdate(ctx context.Context, op operation, req *http.Request) (*api.AgentPoolUpdate, error) {
	var u api.AgentPoolUpdate
	if _, err := c.call(ctx, op, req, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

func checkIDs(poolID, updateID string) error {
	if err := checkID("poolID", poolID); err != nil {
		return err
	}
	return checkID("updateID", updateID)
}
