package oktatest

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// OAuth 2.0 scopes of the Agent Pools API.
const (
	scopeRead   = "okta.agentPools.read"
	scopeManage = "okta.agentPools.manage"
)

const (
	poolsPath = "/api/v1/agentPools"
	tokenPath = "/oauth2/v1/token"
)

// operation is one operation of the OpenAPI document.
type operation struct {
	id       string
	method   string
	template string // path template, as in the OpenAPI document
	scope    string // OAuth 2.0 scope the operation needs
	hasBody  bool   // the operation defines a request body
	action   string // lifecycle action, for the POST .../{updateId}/{action} operations
	handle   func(*Server, *apiRequest) reply
}

// operations lists the fourteen operations of the Agent Pools API.
var operations = []*operation{
	{id: "listAgentPools", method: http.MethodGet, template: poolsPath, scope: scopeRead, handle: (*Server).listAgentPools},
	{id: "listAgentPoolsUpdates", method: http.MethodGet, template: poolsPath + "/{poolId}/updates", scope: scopeRead, handle: (*Server).listUpdates},
	{id: "createAgentPoolsUpdate", method: http.MethodPost, template: poolsPath + "/{poolId}/updates", scope: scopeManage, hasBody: true, handle: (*Server).createUpdate},
	{id: "getAgentPoolsUpdateSettings", method: http.MethodGet, template: poolsPath + "/{poolId}/updates/settings", scope: scopeRead, handle: (*Server).getSettings},
	{id: "updateAgentPoolsUpdateSettings", method: http.MethodPost, template: poolsPath + "/{poolId}/updates/settings", scope: scopeManage, hasBody: true, handle: (*Server).updateSettings},
	{id: "getAgentPoolsUpdateInstance", method: http.MethodGet, template: poolsPath + "/{poolId}/updates/{updateId}", scope: scopeRead, handle: (*Server).getUpdate},
	{id: "updateAgentPoolsUpdate", method: http.MethodPost, template: poolsPath + "/{poolId}/updates/{updateId}", scope: scopeManage, hasBody: true, handle: (*Server).changeUpdate},
	{id: "deleteAgentPoolsUpdate", method: http.MethodDelete, template: poolsPath + "/{poolId}/updates/{updateId}", scope: scopeManage, handle: (*Server).deleteUpdate},
	{id: "activateAgentPoolsUpdate", method: http.MethodPost, template: poolsPath + "/{poolId}/updates/{updateId}/activate", scope: scopeManage, action: "activate", handle: (*Server).runLifecycleAction},
	{id: "deactivateAgentPoolsUpdate", method: http.MethodPost, template: poolsPath + "/{poolId}/updates/{updateId}/deactivate", scope: scopeManage, action: "deactivate", handle: (*Server).runLifecycleAction},
	{id: "pauseAgentPoolsUpdate", method: http.MethodPost, template: poolsPath + "/{poolId}/updates/{updateId}/pause", scope: scopeManage, action: "pause", handle: (*Server).runLifecycleAction},
	{id: "resumeAgentPoolsUpdate", method: http.MethodPost, template: poolsPath + "/{poolId}/updates/{updateId}/resume", scope: scopeManage, action: "resume", handle: (*Server).runLifecycleAction},
	{id: "retryAgentPoolsUpdate", method: http.MethodPost, template: poolsPath + "/{poolId}/updates/{updateId}/retry", scope: scopeManage, action: "retry", handle: (*Server).runLifecycleAction},
	{id: "stopAgentPoolsUpdate", method: http.MethodPost, template: poolsPath + "/{poolId}/updates/{updateId}/stop", scope: scopeManage, action: "stop", handle: (*Server).runLifecycleAction},
}

// operationsByID indexes operations by operationId.
var operationsByID = func() map[string]*operation {
	m := make(map[string]*operation, len(operations))
	for _, op := range operations {
		m[op.id] = op
	}
	return m
}()

// apiRequest is a routed, authenticated API request.
type apiRequest struct {
	op       *operation
	http     *http.Request
	poolID   string // decoded path parameter
	updateID string // decoded path parameter
	body     []byte
	now      time.Time
}

// baseURL returns the scheme and host that the client used, so links in
// responses point back at the address the client reached.
func (r *apiRequest) baseURL() string {
	scheme := "http"
	if r.http.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.http.Host
}

// routeMatch is the result of routing a request.
type routeMatch struct {
	template string            // matched path template; empty when no path matched
	op       *operation        // nil when the method does not match
	params   map[string]string // decoded path parameters
	allow    []string          // methods of the template, for 405 responses
}

// matchRoute routes a request by its escaped path, so that an ID containing
// an escaped "/", "?" or "#" stays one path segment. It returns a zero
// routeMatch when no template matches.
func matchRoute(method, escapedPath string) routeMatch {
	template, params, ok := matchTemplate(escapedPath)
	if !ok {
		return routeMatch{}
	}

	m := routeMatch{template: template, params: params}
	for _, op := range operations {
		if op.template != template {
			continue
		}
		m.allow = append(m.allow, op.method)
		if op.method == method {
			m.op = op
		}
	}
	slices.Sort(m.allow)
	return m
}

func matchTemplate(escapedPath string) (string, map[string]string, bool) {
	rest, ok := strings.CutPrefix(escapedPath, poolsPath)
	if !ok {
		return "", nil, false
	}
	if rest == "" {
		return poolsPath, map[string]string{}, true
	}
	if rest[0] != '/' {
		return "", nil, false
	}

	segments := strings.Split(rest[1:], "/")
	decoded := make([]string, len(segments))
	for i, seg := range segments {
		value, err := url.PathUnescape(seg)
		if err != nil || value == "" {
			return "", nil, false
		}
		decoded[i] = value
	}
	if len(segments) < 2 || segments[1] != "updates" {
		return "", nil, false
	}

	params := map[string]string{"poolId": decoded[0]}
	switch {
	case len(segments) == 2:
		return poolsPath + "/{poolId}/updates", params, true
	case len(segments) == 3 && segments[2] == "settings":
		return poolsPath + "/{poolId}/updates/settings", params, true
	case len(segments) == 3:
		params["updateId"] = decoded[2]
		return poolsPath + "/{poolId}/updates/{updateId}", params, true
	case len(segments) == 4:
		if _, ok := lifecycleActions[segments[3]]; !ok {
			return "", nil, false
		}
		params["updateId"] = decoded[2]
		return poolsPath + "/{poolId}/updates/{updateId}/" + segments[3], params, true
	default:
		return "", nil, false
	}
}
