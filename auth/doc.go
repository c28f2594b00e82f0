// Package auth provides the credentials with which a client authenticates
// its requests to an Okta org.
//
// Every way of authenticating is a [Credentials] value. A client calls its
// RoundTripper method once, with the org URL and the client's base
// http.RoundTripper, and sends every API request through the result.
//
// # Authentication modes
//
//   - [APIToken] sends an Okta API token as "Authorization: SSWS <token>".
//   - [BearerToken] sends an access token obtained elsewhere as
//     "Authorization: Bearer <token>" and never refreshes it.
//   - [TokenSource] takes tokens from any oauth2.TokenSource. It sends Bearer
//     tokens only; DPoP-bound tokens need the DPoP option of the next two.
//   - [PrivateKeyJWT] obtains tokens for an OAuth 2.0 API service app with
//     the client credentials grant, authenticating with a client assertion
//     signed by the app's private key (private_key_jwt, RFC 7523). This is
//     the only client authentication that Okta's org authorization server
//     accepts for Okta API scopes. [ParsePrivateKeyPEM] and
//     [ParsePrivateKeyJWK] load the key.
//   - [ClientSecret] obtains tokens with the client credentials grant and a
//     client secret, sent as client_secret_basic or client_secret_post. Okta
//     issues Okta API scopes only with private_key_jwt, so this mode needs a
//     token endpoint that accepts secrets.
//
// The token requests of PrivateKeyJWT and ClientSecret are
// "POST {orgURL}/oauth2/v1/token" unless the config sets TokenURL. When the
// endpoint rejects a request, the error is a [*TokenError] with the status,
// the OAuth 2.0 error code and its description.
//
// # Scopes
//
// An access token carries the scopes that the app was granted in Okta and
// requested in the config's Scopes, by default both of these:
//
//   - [ScopeRead] (okta.agentPools.read) allows listing agent pools and
//     agent pool updates, and getting an update or the update settings.
//   - [ScopeManage] (okta.agentPools.manage) allows creating, updating and
//     deleting agent pool updates, updating the update settings, and the
//     activate, deactivate, pause, resume, retry and stop operations.
//
// Okta rejects a token request for a scope that the app was not granted, so an app granted only okta.agentPools.read must set Scopes to
// []string{ScopeRead}. The app also needs an admin role that allows the
// operations.
//
// # DPoP
//
// With DPoP set in [PrivateKeyConfig] or [ClientSecretConfig], access tokens
// are bound to a key pair (RFC 9449). DPoPKey is that key. By default, the
// constructor generates an ECDSA P-256 key, kept for the life of the
// credentials. Turn DPoP on when the Okta app requires it. If it is off and
// the token endpoint requires DPoP, the error is a [*DPoPRequiredError] that
// names the option to set, and no request is retried.
//
// Every token request, and every API request with a DPoP-bound token,
// carries a new DPoP proof with a unique jti, so that a retry by a higher
// layer never reuses one. If the token endpoint issues a Bearer token all the
// same, it is sent as a Bearer token without proofs. A proof for
// an API request carries the hash of the access token (ath) and is sent with
// "Authorization: DPoP <token>". When the token endpoint or the API responds
// that it requires a nonce (use_dpop_nonce), the request is signed again with
// the server's DPoP-Nonce and retried once. The latest nonce from each server
// is kept for later proofs.
//
// # Token lifecycle
//
// Each RoundTripper of PrivateKeyJWT or ClientSecret credentials caches one
// access token and requests a new one ExpiryDelta (default 60 seconds)
// before it expires, or halfway through its lifetime if that is later. Okta's
// tokens last one hour. Concurrent requests that find no usable token share
// one token request, and each stops waiting when its own context ends.
//
// When the API responds 401 with error="invalid_token", for example because
// the token was revoked, the RoundTripper drops the token, requests a new
// one and sends the request once more. A request with a body is retried only
// when its GetBody is set; otherwise the 401 response is returned.
//
// Nothing secret (API token, client secret, private key, access token,
// client assertion or DPoP proof) appears in errors or log records, or when
// credentials or configs are printed with fmt or slog. With a Logger set,
// token requests and retries are logged at debug level.
package auth
