// Package oktatest runs a fake Okta org that serves the Agent Pools API,
// for tests of this module and of programs that use it.
//
// The fake keeps its state in memory, checks every request and response
// against the OpenAPI document of this module, and can be configured to
// fail, slow down or rate-limit on purpose. NewServer, New and Start listen
// on 127.0.0.1 at a free port.
//
// # Starting a server
//
// In a test, New starts a server, closes it when the test ends and then
// fails the test if any request or response did not match the OpenAPI
// document:
//
//	srv := oktatest.New(t, oktatest.WithSampleData())
//	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/agentPools", nil)
//	req.Header.Set("Authorization", "SSWS "+srv.APIToken())
//
// NewServer does the same without a test, and the caller must Close it.
// NewUnstartedServer returns a server to seed before Start, or before
// StartOn for a fixed loopback address such as "127.0.0.1:8080". Handler
// returns the http.Handler to mount the fake elsewhere.
//
// # Seeding and inspecting state
//
// AddPool, AddUpdate and SetSettings store pools, updates and update
// settings; Pools, Updates, Update and Settings return deep copies of what
// is stored. SeedSample (or the option WithSampleData) loads fifteen pools
// of all seven agent types with settings and updates in every status. Its
// IDs are the same in every run. Seeded data may hold values outside the
// spec's enums, to test how a client decodes what a newer Okta release
// might send; such data breaks response validation, so turn it off with
// WithoutResponseValidation.
//
// IDs look like Okta's: 20 characters such as 0oa3eu7ekG8tjbD9J5s6.
//
// # Operations
//
// The fake serves the fourteen operations of the spec. Reads return 200,
// every POST that changes state returns 201 with the stored object, and a
// delete returns 204 without a body. Every response carries a unique
// X-Okta-Request-Id and, while rate limiting is on, X-Rate-Limit-Limit,
// X-Rate-Limit-Remaining and X-Rate-Limit-Reset. Errors are Okta error
// objects: 400 E0000001 for a request the spec or the fake rejects (the
// causes say why), 401 E0000011 for missing or invalid credentials, 403
// E0000006 for a read-only token on a change, 404 E0000007 for an unknown
// pool or update, 429 E0000047 over the rate limit, and 500 E0000009 when a
// response would break the spec.
//
// The server sets id, _links.self (an absolute URL built from the request's
// Host), the status of a new update, and the agents' updateStatus. It
// ignores read-only and server-set members that a client sends (id,
// status, _links, schedule.lastUpdated) and members the spec does not
// define. Creating an update without an agents member covers every agent of
// the pool; agents that are sent must be agents of the pool, matched by id
// or else by name. agentType must be the pool's type, and a cron schedule
// must name a day of the month ("0 8 15 * ?") or the nth weekday of the
// month ("0 8 ? * 6#3"). Changing an update replaces the members present in
// the body and keeps the others.
//
// IDs with reserved characters are routed on the escaped path, so an
// update of pool "a/b?c#d" is at /api/v1/agentPools/a%2Fb%3Fc%23d/updates.
//
// # Pagination
//
// Only listAgentPools pages. Pools are grouped by agent type in the order
// AD, IWA, LDAP, MFA, OPP, RUM, Radius, then any other type, and keep the
// order they were added in within a type. limitPerPoolType (default 5)
// limits the pools of each type on one page: page n (from 0) holds the
// pools at positions n*limit to n*limit+limit-1 of every type, or of
// poolType alone when it is set. The first page of the sample data with
// limitPerPoolType=2 thus holds two AD pools, two IWA, two LDAP, two MFA
// and the single OPP, RUM and Radius pools.
//
// Each page has a Link header with rel="self" (the request's URL) and,
// while any type has pools past the page, a second Link header with
// rel="next": an absolute URL whose query carries the opaque after cursor,
// limitPerPoolType and poolType, so a client that follows it keeps its page
// size and filter. A cursor is valid only on the server that issued it; a
// garbled or foreign cursor, or a raw pool ID, gets 400 E0000001.
//
// # Update status model
//
// A new update with a cron schedule is Scheduled; a new ad hoc update (no
// schedule) starts at once and is InProgress. enabled defaults to true. The
// lifecycle operations change an update as follows, and any other use
// gets 400 E0000001 with a cause that names the update's status:
//
//	activate    scheduled update in Scheduled     enabled=true, stays Scheduled
//	deactivate  scheduled update in Scheduled     enabled=false, stays Scheduled
//	pause       InProgress or Scheduled (queued)  Paused
//	resume      Paused                            InProgress
//	retry       Failed                            InProgress
//	stop        Scheduled, InProgress or Paused   Cancelled
//
// Success, Failed and Cancelled are finished. Jobs do not advance on their
// own: a test moves one with SetUpdateStatus, which also sets the agents'
// updateStatus, sets schedule.lastUpdated on Success and Failed (a
// cancelled update leaves it unchanged), and on Success moves the agents to
// the targetVersion. Status changes made through the API or
// SetUpdateStatus also set the updateStatus of the pool's own agents;
// AddUpdate stores an update as given. Updates may be changed and deleted
// in any status.
//
// # Authentication
//
// The API accepts "Authorization: SSWS <token>" with the token of
// APIToken (random per server, or set by WithAPIToken), compared in
// constant time. Tokens added with WithReadOnlyAPIToken may call the GET
// operations only; the others get 403 E0000006. A request without an
// Authorization header gets 401 E0000011 with a WWW-Authenticate
// challenge. Bearer and DPoP access tokens are checked by the fake's OAuth
// 2.0 authorization server against the scope of the operation:
// okta.agentPools.read for GETs and okta.agentPools.manage for the rest.
//
// # OAuth 2.0
//
// The fake's org authorization server issues access tokens at POST
// /oauth2/v1/token with the client credentials grant. RegisterClient adds an
// OAuthClient with public Keys (private_key_jwt) or a Secret
// (client_secret_basic, client_secret_post), its granted Scopes, and
// RequireDPoP. GenerateClientKey makes an RSA key pair and its PEM for a
// standalone fake; ParseJWKS reads a JWKS. A client assertion must be signed
// with RS256/384/512 or ES256/384/512 by a key of the client, chosen by kid,
// which is required when the client has several keys. iss and sub must be
// the client ID, aud the token URL built from the request's Host, exp in the
// future and at most an hour ahead, iat not in the future, and jti used
// once. Failures answer 401 invalid_client, with a Basic challenge for
// client_secret_basic. scope is required and each scope must be granted
// (400 invalid_scope); other grants answer 400 unsupported_grant_type.
//
// Tokens are opaque and last an hour (SetTokenLifetime). A request with a
// valid DPoP proof gets a token of type DPoP bound to the proof's key. The
// fake requires its nonce: a proof without it gets 400 use_dpop_nonce and a
// DPoP-Nonce header. The client is authenticated before the proof is
// checked, so the retry needs a new assertion. API requests send
// "Authorization: Bearer <token>", or "DPoP <token>" with a proof carrying
// ath. Unknown, revoked (RevokeTokens) or expired tokens answer 401
// E0000011 with an invalid_token challenge, a missing scope 403 E0000006
// with insufficient_scope. A DPoP token sent as Bearer, or a bad or
// replayed proof, answers 400 with an empty body and the reason in
// WWW-Authenticate. RequireResourceDPoPNonce makes the API demand a nonce
// too (401 use_dpop_nonce). TokenRequests, IssuedTokens and
// TokenRequestLog report the token endpoint's traffic.
//
// # Faults
//
// InjectFault makes one operation respond with a given status, headers and
// raw body (HTML or malformed JSON included), wait before responding, or
// both, for a number of requests or until ClearFaults. A 429 fault without
// a body sends Okta's E0000047 error and rate-limit headers. Faults apply
// after authentication and request validation, and their responses skip
// response validation on purpose, so a malformed body reaches the client.
//
// # Rate limits
//
// Each path template of the API, such as /api/v1/agentPools/{poolId}/updates,
// is one rate-limit bucket for all its methods; by default it allows 600
// requests per minute. SetRateLimit changes the limit and window. Windows
// are fixed and read the server's clock, which WithClock replaces, so a
// test can move past a window without sleeping. Over the limit, a request
// gets 429 E0000047 with X-Rate-Limit-Remaining 0 and
// X-Rate-Limit-Reset at the end of the window, in Unix seconds.
//
// # Validation
//
// Requests and responses are validated with kin-openapi against the
// embedded OpenAPI document. A request that breaks the spec gets 400
// E0000001 with the validation messages as causes; a response that breaks
// it is replaced by a 500 E0000009. Both are recorded and returned by
// ValidationErrors. Injected faults, the 411 response and requests to the
// token endpoint are not validated.
//
// # Recorded requests
//
// Requests returns every API request with its operationId, decoded path,
// query, headers (credentials redacted), body and response status.
// ResetRequests forgets them. WithLogger logs each request at Debug level;
// by default the server logs nothing.
//
// # Differences from a real org
//
//   - Jobs never advance on their own; use SetUpdateStatus.
//   - Rate-limit buckets are per path template, and the default limit of
//     600 requests per minute is a round guess; Okta's buckets and limits
//     depend on the org and the endpoint.
//   - The 411 response to a body-less POST without Content-Length (a chunked
//     request) is a short HTML page; Okta's exact body is not documented.
//   - Unknown paths get 404 E0000007 and wrong methods 405 E0000022;
//     Okta's wording for them may differ.
//   - Time zones in schedules are not checked, and an update may be changed
//     or deleted in any status.
//   - Error summaries and causes follow Okta's format, but their wording for
//     the fake's own checks is the fake's.
//   - Requests to the token endpoint are neither rate-limited nor recorded
//     by Requests.
//   - Okta requires private_key_jwt at the org authorization server; the
//     fake also accepts client secrets.
//   - The fake requires jti in client assertions, and a manage scope does
//     not stand in for read.
//   - Tokens are opaque rather than JWTs, and some error descriptions are
//     the fake's wording.
package oktatest
