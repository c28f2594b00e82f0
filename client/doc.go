// Package client calls the Agent Pools API of an Okta org: it lists the
// org's directory agent pools and manages the auto-updates of their agents.
//
// Create a Client with New and the org URL, then call its methods:
//
//	c, err := client.New("https://acme.okta.com",
//		client.WithCredentials(auth.APIToken(os.Getenv("OKTA_CLIENT_TOKEN"))))
//	if err != nil {
//		return err
//	}
//	update, err := c.GetUpdate(ctx, poolID, updateID)
//
// Methods take and return the models of package api. Those models keep
// members that they do not define in AdditionalProperties, and enum values
// that they do not define as sent, so an update fetched with GetUpdate,
// changed and sent back with EditUpdate keeps everything Okta sent. The
// methods leave out the read-only members (the id and _links of an update
// and of its agents) when they send a model.
//
// A Client is safe for concurrent use. Create one for each org and reuse it
// for the life of the program: each Client has its own connection pool, so
// a Client made per task leaves idle connections open until they time out.
// CloseIdleConnections closes them at once. Each method's doc comment names
// the Okta operation it calls, its method and path, and the OAuth 2.0 scope
// it needs. Every method rejects a nil Context with an error before it
// sends a request.
//
// # Authentication
//
// WithCredentials is required. It takes an auth.Credentials: an API token
// (auth.APIToken), an access token (auth.BearerToken or auth.TokenSource),
// or the OAuth 2.0 client credentials of a service app (auth.PrivateKeyJWT
// or auth.ClientSecret), which fetch, cache, refresh and DPoP-bind tokens.
// Reads need the scope okta.agentPools.read and changes need
// okta.agentPools.manage.
//
// The credentials are added by the transport of the Client's *http.Client.
// The Client rejects redirects to another origin than the org, so they are
// never sent to another host, and New accepts plain http only for loopback
// hosts.
//
// # Pagination
//
// Only the list of pools is paginated. ListPools returns an iter.Seq2 that
// follows the rel="next" links of the Link header and fetches a page only
// when the loop needs it:
//
//	for pool, err := range c.ListPools(ctx, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(*pool.Name)
//	}
//
// The loop yields an error at most once and then stops. A *pager.CursorLoopError
// means Okta returned a cursor twice, and an error wrapping
// pager.ErrCrossOrigin means a next link pointed to another host. For long
// jobs, PoolIterator returns a *pager.Iterator whose Cursor can be stored
// and passed later as ListPoolsOptions.After; ListPoolsPage fetches one
// page.
//
// # Errors
//
// A response with a status other than 2xx is returned as an *Error with the
// status, Okta's errorCode, errorSummary, errorId and causes, the
// X-Okta-Request-Id, the error of a WWW-Authenticate header, the rate-limit
// headers and the number of attempts. Its message is one line, such as
//
//	client: GET /api/v1/agentPools/x/updates/y: 404 E0000007 Not found: Resource not found (request id abc, 1 attempt)
//
// A 429 response is returned as a *RateLimitError, which wraps the *Error and
// carries the reset time. Use errors.As for both, or IsNotFound,
// IsForbidden, IsUnauthorized and IsRateLimited. When the context ends, a
// method returns ctx.Err(), also while it waits to retry. A successful
// response larger than WithMaxResponseBytes is an error matching
// ErrResponseTooLarge; it is never truncated.
//
// # Rate limits and retries
//
// Okta limits the requests to each endpoint per minute and reports the
// limit in the X-Rate-Limit-Limit, -Remaining and -Reset headers. The
// Client retries a 429 response after the reset, measured against the
// response's Date header, plus up to a second of jitter; without a usable
// reset it backs off exponentially. Responses 500, 502, 503 and 504 and
// network errors are retried with backoff only for requests that are safe
// to repeat: reads, DeleteUpdate and the lifecycle actions that set a
// state (activate, deactivate, pause, resume, stop). CreateUpdate,
// EditUpdate, EditSettings and RetryUpdate are retried only after a 429
// response. WithRetry sets the number of attempts and the total time a call
// may wait; when the next wait would exceed it, the call returns the last
// error at once.
//
// With pacing, on by default, the Client remembers an endpoint whose
// window is used up (X-Rate-Limit-Remaining: 0) and delays later requests
// to it until the reset, instead of provoking a 429 response. Endpoints are
// told apart by method and path template, as Okta counts them.
//
// Waits use the Clock of WithClock, so tests can run them without real
// time passing. WithLogger receives a debug record for every attempt,
// retry and pacing wait, without credentials.
package client
