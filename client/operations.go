package client

import "net/http"

// repeatSafety is the class of failed attempts after which an operation may
// be sent again.
type repeatSafety int

const (
	// onlyRateLimited: only a 429 response is retried. Okta did not process a
	// rate-limited request, so repeating it cannot apply a change twice,
	// but after a 5xx response or a network error the change may have been
	// applied.
	onlyRateLimited repeatSafety = iota

	// safeToRepeat: 429 and 5xx responses and network errors are retried,
	// because sending the request twice has the effect of sending it once.
	safeToRepeat
)

// operation describes one Okta operation for the request pipeline.
type operation struct {
	id     string // Okta operationId, such as "listAgentPools"
	method string
	path   string // path template, such as "/api/v1/agentPools/{poolId}/updates"
	safety repeatSafety

	// endpoint is the key of Okta's per-endpoint rate limit, such as
	// "GET /api/v1/agentPools/{poolId}/updates". It is joined once here,
	// not on every request.
	endpoint string
}

func newOperation(id, method, path string, safety repeatSafety) operation {
	return operation{id: id, method: method, path: path, safety: safety, endpoint: method + " " + path}
}

const (
	poolsPath    = "/api/v1/agentPools"
	updatesPath  = "/api/v1/agentPools/{poolId}/updates"
	updatePath   = "/api/v1/agentPools/{poolId}/updates/{updateId}"
	settingsPath = "/api/v1/agentPools/{poolId}/updates/settings"
)

// Reads and DELETE are safe to repeat: deleting an update that is already
// gone changes nothing more, and its 404 response is returned as an error.
var (
	opListPools   = newOperation("listAgentPools", http.MethodGet, poolsPath, safeToRepeat)
	opListUpdates = newOperation("listAgentPoolsUpdates", http.MethodGet, updatesPath, safeToRepeat)
	opGetUpdate   = newOperation("getAgentPoolsUpdateInstance", http.MethodGet, updatePath, safeToRepeat)
	opDeleteUpd   = newOperation("deleteAgentPoolsUpdate", http.MethodDelete, updatePath, safeToRepeat)
	opGetSettings = newOperation("getAgentPoolsUpdateSettings", http.MethodGet, settingsPath, safeToRepeat)
)

// Creating an update is not safe to repeat, because a repeat may create a
// second update. Editing an update or the settings sends the whole object.
// Another client may change the object between two attempts, and a repeat
// would then overwrite that change, so edits are not repeated either.
var (
	opCreateUpdate = newOperation("createAgentPoolsUpdate", http.MethodPost, updatesPath, onlyRateLimited)
	opEditUpdate   = newOperation("updateAgentPoolsUpdate", http.MethodPost, updatePath, onlyRateLimited)
	opEditSettings = newOperation("updateAgentPoolsUpdateSettings", http.MethodPost, settingsPath, onlyRateLimited)
)

// The lifecycle actions activate, deactivate, pause, resume and stop each
// move the update to a target state, so a repeat leaves the same state as
// one request: they are safe to repeat. When the first attempt was applied
// but its response was lost, the repeat may get a 4xx response saying the
// update is already in that state, and that response is returned.
//
// Retry is not safe to repeat: it starts a new run of a failed update, and
// a repeat after the run has begun could start a second one.
var (
	opActivate   = newOperation("activateAgentPoolsUpdate", http.MethodPost, updatePath+"/activate", safeToRepeat)
	opDeactivate = newOperation("deactivateAgentPoolsUpdate", http.MethodPost, updatePath+"/deactivate", safeToRepeat)
	opPause      = newOperation("pauseAgentPoolsUpdate", http.MethodPost, updatePath+"/pause", safeToRepeat)
	opResume     = newOperation("resumeAgentPoolsUpdate", http.MethodPost, updatePath+"/resume", safeToRepeat)
	opStop       = newOperation("stopAgentPoolsUpdate", http.MethodPost, updatePath+"/stop", safeToRepeat)
	opRetry      = newOperation("retryAgentPoolsUpdate", http.MethodPost, updatePath+"/retry", onlyRateLimited)
)
