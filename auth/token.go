package auth

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// maxTokenResponse is how many bytes of a token endpoint response are read.
const maxTokenResponse = 1 << 20

// clientAuthenticator adds client authentication to a token request and
// returns the secrets it added, so that they can be removed from errors.
type clientAuthenticator interface {
	authenticate(header http.Header, form url.Values, tokenURL string) (secrets []string, err error)
}

// privateKeyAuth authenticates with a private_key_jwt client assertion.
type privateKeyAuth struct {
	assertions *assertionSigner
}

func (a privateKeyAuth) authenticate(_ http.Header, form url.Values, tokenURL string) ([]string, error) {
	assertion, err := a.assertions.sign(tokenURL)
	if err != nil {
		return nil, err
	}

	form.Set("client_assertion_type", clientAssertionType)
	form.Set("client_assertion", assertion)
	return []string{assertion}, nil
}

// clientSecretAuth authenticates with client_secret_basic or
// client_secret_post.
type clientSecretAuth struct {
	clientID string
	secret   string
	method   ClientAuthMethod
}

func (a clientSecretAuth) authenticate(header http.Header, form url.Values, _ string) ([]string, error) {
	secrets := []string{a.secret, url.QueryEscape(a.secret)}

	if a.method == ClientSecretPost {
		form.Set("client_id", a.clientID)
		form.Set("client_secret", a.secret)
		return secrets, nil
	}

	// RFC 6749, section 2.3.1: both parts are form-encoded before they are
	// joined and base64-encoded.
	credentials := url.QueryEscape(a.clientID) + ":" + url.QueryEscape(a.secret)
	encoded := base64.StdEncoding.EncodeToString([]byte(credentials))
	header.Set("Authorization", "Basic "+encoded)
	return append(secrets, encoded), nil
}

// tokenEndpoint requests access tokens with the client credentials grant.
// It implements oauth2.TokenSource, without caching.
//
// It does not use golang.org/x/oauth2/clientcredentials, which cannot send
// a client assertion or a DPoP header and returns oauth2.RetrieveError, whose
// message can contain the whole response body.
type tokenEndpoint struct {
	tokenURL   *url.URL
	clientID   string
	scopes     []string
	auth       clientAuthenticator
	dpop       *dpopProver // nil when DPoP is off
	dpopOption string      // the field that turns DPoP on, for DPoPRequiredError
	client     *http.Client
	now        func() time.Time
	logger     *slog.Logger
}

var _ oauth2.TokenSource = (*tokenEndpoint)(nil)

// Token requests a new access token with a background context.
func (e *tokenEndpoint) Token() (*oauth2.Token, error) {
	return e.fetch(context.Background())
}

// fetch requests a new access token. With DPoP on, a request rejected with
// use_dpop_nonce is retried once with the nonce that the endpoint sent.
func (e *tokenEndpoint) fetch(ctx context.Context) (*oauth2.Token, error) {
	scope := strings.Join(e.scopes, " ")
	e.logger.DebugContext(ctx, "requesting access token",
		"client_id", e.clientID, "scope", scope, "token_url", e.tokenURL.Redacted(), "dpop", e.dpop != nil)

	for attempt := 1; ; attempt++ {
		token, err := e.request(ctx, scope)
		var tokenErr *TokenError
		if !errors.As(err, &tokenErr) {
			return token, err
		}

		if e.dpop != nil && attempt == 1 && tokenErr.ErrorCode == "use_dpop_nonce" && e.dpop.nonces.get(e.tokenURL.String()) != "" {
			// NOTE: Okta rejects the first DPoP token request of a client
			// with 400 use_dpop_nonce and a DPoP-Nonce header, and expects
			// the request again with that nonce in a new proof.
			e.logger.DebugContext(ctx, "token endpoint requires a DPoP nonce; retrying",
				"client_id", e.clientID, "token_url", e.tokenURL.Redacted())
			continue
		}

		if e.dpop == nil && requiresDPoP(tokenErr) {
			return nil, &DPoPRequiredError{Option: e.dpopOption, Err: tokenErr}
		}
		return nil, err
	}
}

// request sends one token request.
func (e *tokenEndpoint) request(ctx context.Context, scope string) (*oauth2.Token, error) {
	form := url.Values{}
	form.Set("grant_type", "client_credentials")
	form.Set("scope", scope)
	header := http.Header{}
	header.Set("Content-Type", "application/x-www-form-urlencoded")
	header.Set("Accept", "application/json")

	tokenURL := e.tokenURL.String()
	secrets, err := e.auth.authenticate(header, form, tokenURL)
	if err != nil {
		return nil, err
	}

	if e.dpop != nil {
		proof, err := e.dpop.proof(http.MethodPost, e.tokenURL, e.dpop.nonces.get(tokenURL), "")
		if err != nil {
			return nil, err
		}
		header.Set("DPoP", proof)
		secrets = append(secrets, proof)
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("auth: invalid token URL %s: %w", e.tokenURL.Redacted(), err)
	}
	req.Header = header

	resp, err := e.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("auth: token request failed: %w", err)
	}
	defer resp.Body.Close()

	if e.dpop != nil {
		e.dpop.nonces.remember(tokenURL, resp)
	}

	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenResponse))
	if err != nil {
		return nil, fmt.Errorf("auth: reading the token response failed: %w", err)
	}

	token, err := parseTokenResponse(resp.StatusCode, body, secrets, e.now())
	if err != nil {
		return nil, err
	}
	if e.dpop == nil && token.Type() == "DPoP" {
		return nil, &DPoPRequiredError{Option: e.dpopOption, Err: &TokenError{
			StatusCode:  resp.StatusCode,
			Description: "the response has token_type DPoP, but the request had no DPoP proof",
		}}
	}

	e.logger.DebugContext(ctx, "fetched access token",
		"client_id", e.clientID, "scope", token.Extra("scope"), "token_type", token.Type(), "expiry", token.Expiry)
	return token, nil
}

// tokenResponse is a token endpoint response (RFC 6749, sections 5.1 and
// 5.2), with the members of Okta's API error format.
type tokenResponse struct {
	AccessToken      string          `json:"access_token"`
	TokenType        string          `json:"token_type"`
	ExpiresIn        json.RawMessage `json:"expires_in"`
	Scope            string          `json:"scope"`
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
	OktaErrorCode    string          `json:"errorCode"`
	OktaErrorSummary string          `json:"errorSummary"`
}

// parseTokenResponse turns a token endpoint response into a token. Failures
// are *TokenError values with secrets removed; fetchedAt is the time that
// expires_in counts from.
func parseTokenResponse(status int, body []byte, secrets []string, fetchedAt time.Time) (*oauth2.Token, error) {
	var r tokenResponse
	if err := json.Unmarshal(body, &r); err != nil {
		kept := redact(string(body), secrets)
		if len(kept) > maxErrorBody {
			kept = kept[:maxErrorBody]
		}
		return nil, &TokenError{StatusCode: status, Body: []byte(kept)}
	}

	if status < 200 || status > 299 || r.Error != "" || r.OktaErrorCode != "" {
		tokenErr := &TokenError{
			StatusCode:  status,
			ErrorCode:   redact(r.Error, secrets),
			Description: redact(r.ErrorDescription, secrets),
		}
		if tokenErr.ErrorCode == "" {
			// NOTE: Okta's management API reports errors as errorCode
			// and errorSummary. That format is accepted here too, although
			// it is unverified that the token endpoint ever uses it.
			tokenErr.ErrorCode = redact(r.OktaErrorCode, secrets)
			tokenErr.Description = redact(r.OktaErrorSummary, secrets)
		}
		return nil, tokenErr
	}

	if r.AccessToken == "" {
		return nil, &TokenError{StatusCode: status, ErrorCode: "", Description: "the response has no access_token"}
	}

	// token_type is case-insensitive (RFC 6749, section 5.1), but the
	// transports compare oauth2.Token.Type, which canonicalizes only Bearer,
	// so both types are stored in their canonical spelling.
	var tokenType string
	switch {
	case r.TokenType == "" || strings.EqualFold(r.TokenType, "Bearer"):
		tokenType = "Bearer"
	case strings.EqualFold(r.TokenType, "DPoP"):
		tokenType = "DPoP"
	default:
		return nil, &TokenError{StatusCode: status, Description: fmt.Sprintf("unsupported token_type %q; want Bearer or DPoP", oneLine(r.TokenType, 40))}
	}

	token := &oauth2.Token{AccessToken: r.AccessToken, TokenType: tokenType}
	if seconds, ok := parseExpiresIn(r.ExpiresIn); ok && seconds > 0 {
		token.ExpiresIn = seconds
		token.Expiry = fetchedAt.Add(time.Duration(seconds) * time.Second)
	}
	return token.WithExtra(map[string]any{"scope": r.Scope}), nil
}

// parseExpiresIn reads expires_in as a JSON number or, as some servers send
// it, a string of digits.
func parseExpiresIn(raw json.RawMessage) (int64, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, false
	}

	var text string
	if err := json.Unmarshal(raw, &text); err == nil {
		raw = []byte(text)
	}
	seconds, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || seconds > 1e9 {
		return 0, false
	}
	return int64(seconds), true
}

// requiresDPoP reports whether a token endpoint error means that the client
// must send DPoP proofs.
func requiresDPoP(err *TokenError) bool {
	// NOTE: Okta rejects a token request without a DPoP header, for an app
	// that requires DPoP, with 400 invalid_dpop_proof "The DPoP proof JWT
	// header is missing."
	switch err.ErrorCode {
	case "invalid_dpop_proof", "use_dpop_nonce":
		return true
	}
	return strings.Contains(strings.ToLower(err.Description), "dpop")
}
