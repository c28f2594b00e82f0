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
}

// endpoint returns the key of Okta's per-endpoint rate limit, such as
// "GET /api/v1/agentPools/{poolId}/updates".
func (op operation) endpoint() string {
	return op.method + " " + op.path
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
	opListPools   = operation{"listAgentPools", http.MethodGet, poolsPath, safeToRepeat}
	opListUpdates = operation{"listAgentPoolsUpdates", http.MethodGet, updatesPath, safeToRepeat}
	opGetUpdate   = operation{"getAgentPoolsUpdateInstance", http.MethodGet, updatePath, safeToRepeat}
	opDeleteUpd   = operation{"deleteAgentPoolsUpdate", http.MethodDelete, updatePath, safeToRepeat}
	opGetSettings = operation{"getAgentPoolsUpdateSettings", http.MethodGet, settingsPath, safeToRepeat}
)

// Creating an update is not safe to repeat, because a repeat may create a
// second update. Editing an update or the settings sends the whole object.
// Another client may change the object between two attempts, and a repeat
// would then overwrite that change, so edits are not repeated either.
var (
	opCreateUpdate = operation{"createAgentPoolsUpdate", http.MethodPost, updatesPath, onlyRateLimited}
	opEditUpdate   = operation{"updateAgentPoolsUpdate", http.MethodPost, updatePath, onlyRateLimited}
	opEditSettings = operation{"updateAgentPoolsUpdateSettings", http.MethodPost, settingsPath, onlyRateLimited}
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
	opActivate   = operation{"activateAgentPoolsUpdate", http.MethodPost, updatePath + "/activate", safeToRepeat}
	opDeactivate = operation{"deactivateAgentPoolsUpdate", http.MethodPost, updatePath + "/deactivate", safeToRepeat}
	opPause      = operation{"pauseAgentPoolsUpdate", http.MethodPost, updatePath + "/pause", safeToRepeat}
	opResume     = operation{"resumeAgentPoolsUpdate", http.MethodPost, updatePath + "/resume", safeToRepeat}
	opStop       = operation{"stopAgentPoolsUpdate", http.MethodPost, updatePath + "/stop", safeToRepeat}
	opRetry      = operation{"retryAgentPoolsUpdate", http.MethodPost, updatePath + "/retry", onlyRateLimited}
)
