package oktatest

import (
	"net/http"
	"slices"
	"strings"
)

const (
	// oauthInvalidTokenCode and oauthInvalidTokenSummary are Okta's error
	// object for a missing, unknown or expired access token.
	oauthInvalidTokenCode    = "E0000011"
	oauthInvalidTokenSummary = "Invalid token provided"

	// oauthForbiddenCode and oauthForbiddenSummary are Okta's error object
	// for a token without the scope an operation needs.
	oauthForbiddenCode    = "E0000006"
	oauthForbiddenSummary = "You do not have permission to perform the requested action"

	// dpopChallengeAlgorithms is the algs parameter of Okta's DPoP challenges.
	dpopChallengeAlgorithms = "RS256 RS384 RS512 ES256 ES384 ES512"
)

// authenticate checks the Bearer or DPoP credentials of an API request
// against the scope its operation needs, and returns nil when they grant it.
// An empty scope checks only that the token is valid.
//
// It returns 401 E0000011 for a missing, unknown, revoked or expired token,
// 400 with an empty body (the reason in WWW-Authenticate) for a DPoP-bound
// token sent as Bearer or with an invalid DPoP proof, 401 with
// error="use_dpop_nonce" when Server.RequireResourceDPoPNonce is on and the
// proof lacks a current nonce, and 403 E0000006 when the token lacks scope.
func (a *authServer) authenticate(r *http.Request, scope string) *authFailure {
	authorizations := r.Header.Values("Authorization")
	if len(authorizations) != 1 {
		return a.invalidToken(r, "Bearer", scope, "The access token is invalid.")
	}
	scheme, token, _ := strings.Cut(authorizations[0], " ")
	token = strings.TrimSpace(token)

	switch {
	case strings.EqualFold(scheme, "Bearer") && token != "":
		return a.authenticateBearer(r, token, scope)
	case strings.EqualFold(scheme, "DPoP") && token != "":
		return a.authenticateDPoP(r, token, scope)
	default:
		return a.invalidToken(r, "Bearer", scope, "The access token is invalid.")
	}
}

// authenticateBearer checks a token sent with the Bearer scheme.
func (a *authServer) authenticateBearer(r *http.Request, token, scope string) *authFailure {
	issued, failure := a.lookUpToken(r, "Bearer", token, scope)
	if failure != nil {
		return failure
	}

	if issued.jkt != "" {
		// NOTE: Okta rejects a DPoP-bound token sent as Bearer with 400, an
		// "invalid_request" Bearer challenge, and no body.
		return &authFailure{
			Status:          http.StatusBadRequest,
			WWWAuthenticate: resourceChallenge(r, "Bearer", scope, "invalid_request", "The resource request requires a DPoP proof."),
		}
	}
	return checkTokenScope(r, "Bearer", issued, scope)
}

// authenticateDPoP checks a token sent with the DPoP scheme and the DPoP
// proof that must come with it (RFC 9449, section 7.1).
func (a *authServer) authenticateDPoP(r *http.Request, token, scope string) *authFailure {
	issued, failure := a.lookUpToken(r, "DPoP", token, scope)
	if failure != nil {
		return failure
	}
	if issued.jkt == "" {
		return a.invalidToken(r, "DPoP", scope, "The access token is not bound to a DPoP key; send it with the Bearer scheme.")
	}

	// NOTE: Okta rejects an invalid DPoP proof on an API request with 400,
	// not the 401 of RFC 9449, and with no body.
	invalidProof := func(description string) *authFailure {
		return &authFailure{
			Status:          http.StatusBadRequest,
			WWWAuthenticate: resourceChallenge(r, "DPoP", scope, "invalid_dpop_proof", description),
		}
	}

	proofs := r.Header.Values("DPoP")
	switch {
	case len(proofs) == 0:
		return invalidProof("The DPoP proof JWT header is missing.")
	case len(proofs) > 1:
		return invalidProof("The request has more than one DPoP header.")
	}

	var nonces *oauthNonces
	a.mu.Lock()
	if a.requireResourceNonce {
		nonces = &a.resourceNonces
	}
	a.mu.Unlock()

	uri := requestOrigin(r) + r.URL.EscapedPath()
	jkt, proofFailure := a.verifyDPoPProof(proofs[0], r.Method, uri, token, nonces)
	switch {
	case proofFailure != nil && proofFailure.nonce != "":
		return &authFailure{
			Status:          http.StatusUnauthorized,
			WWWAuthenticate: resourceChallenge(r, "DPoP", scope, "use_dpop_nonce", "Resource server requires nonce in DPoP proof."),
			DPoPNonce:       proofFailure.nonce,
		}
	case proofFailure != nil:
		return invalidProof(proofFailure.description)
	case jkt != issued.jkt:
		return invalidProof("The DPoP proof JWT key does not match the key the access token is bound to.")
	}
	return checkTokenScope(r, "DPoP", issued, scope)
}

// lookUpToken returns a copy of the unexpired access token, or the failure
// for an unknown or expired one.
func (a *authServer) lookUpToken(r *http.Request, scheme, token, scope string) (oauthAccessToken, *authFailure) {
	a.mu.Lock()
	issued, ok := a.tokens[token]
	var copied oauthAccessToken
	if ok {
		copied = *issued
	}
	now := a.now()
	a.mu.Unlock()

	if !ok {
		return oauthAccessToken{}, a.invalidToken(r, scheme, scope, "The access token is invalid.")
	}
	if !now.Before(copied.expires) {
		// NOTE: the description of an expired token is the fake's wording;
		// Okta's status and error code are the same as for an invalid one.
		return oauthAccessToken{}, a.invalidToken(r, scheme, scope, "The access token is expired.")
	}
	return copied, nil
}

// checkTokenScope returns 403 E0000006 when the token lacks scope.
func checkTokenScope(r *http.Request, scheme string, issued oauthAccessToken, scope string) *authFailure {
	if scope == "" || slices.Contains(issued.scopes, scope) {
		return nil
	}

	// NOTE: Okta documents read scopes for GET operations and manage scopes
	// for the others. The fake therefore does not accept a manage scope where
	// the read scope is needed.
	return &authFailure{
		Status:          http.StatusForbidden,
		ErrorCode:       oauthForbiddenCode,
		ErrorSummary:    oauthForbiddenSummary,
		WWWAuthenticate: resourceChallenge(r, scheme, scope, "insufficient_scope", "The access token provided does not contain the required scopes."),
	}
}

// invalidToken returns the 401 E0000011 failure with an invalid_token
// challenge of the given scheme.
func (a *authServer) invalidToken(r *http.Request, scheme, scope, description string) *authFailure {
	return &authFailure{
		Status:          http.StatusUnauthorized,
		ErrorCode:       oauthInvalidTokenCode,
		ErrorSummary:    oauthInvalidTokenSummary,
		WWWAuthenticate: resourceChallenge(r, scheme, scope, "invalid_token", description),
	}
}

// resourceChallenge builds a WWW-Authenticate challenge in Okta's form:
//
//	DPoP algs="...", authorization_uri="<org>/oauth2/v1/authorize", realm="<org>",
//	scope="<scope>", error="<code>", error_description="<text>", resource="<path>"
//
// The algs parameter comes only with the DPoP scheme, scope only when the
// operation needs one.
func resourceChallenge(r *http.Request, scheme, scope, code, description string) string {
	origin := requestOrigin(r)

	params := make([]string, 0, 7)
	if scheme == "DPoP" {
		params = append(params, "algs="+quoteAuthParam(dpopChallengeAlgorithms))
	}
	params = append(params,
		"authorization_uri="+quoteAuthParam(origin+oauthAuthorizePath),
		"realm="+quoteAuthParam(origin),
	)
	if scope != "" {
		params = append(params, "scope="+quoteAuthParam(scope))
	}
	params = append(params,
		"error="+quoteAuthParam(code),
		"error_description="+quoteAuthParam(description),
		"resource="+quoteAuthParam(r.URL.Path),
	)
	return scheme + " " + strings.Join(params, ", ")
}
