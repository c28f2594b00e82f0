package auth

import (
	"net/http"
	"strings"
	"sync"
)

// challenge is one authentication challenge of a WWW-Authenticate header
// (RFC 9110, section 11.6.1), with parameter names in lower case.
type challenge struct {
	scheme string
	params map[string]string
}

// parseChallenges parses every challenge in the WWW-Authenticate values.
// It skips text that it cannot parse, so a malformed header yields fewer
// challenges rather than an error.
func parseChallenges(values []string) []challenge {
	var challenges []challenge
	for _, value := range values {
		p := headerParser{s: value}
		for {
			p.skip(" \t,")
			if p.pos >= len(p.s) {
				break
			}

			scheme := p.token()
			if scheme == "" {
				// Skip a character that cannot start a challenge.
				p.pos++
				continue
			}

			c := challenge{scheme: scheme, params: map[string]string{}}
			p.params(c.params)
			challenges = append(challenges, c)
		}
	}
	return challenges
}

// headerParser reads tokens and quoted strings from one header value.
type headerParser struct {
	s   string
	pos int
}

// params reads "name=value" pairs into params until the input ends or the
// next challenge starts, which is a token not followed by "=".
func (p *headerParser) params(params map[string]string) {
	for {
		start := p.pos
		p.skip(" \t,")
		name := p.token()
		p.skip(" \t")
		if name == "" || p.pos >= len(p.s) || p.s[p.pos] != '=' {
			p.pos = start
			return
		}

		p.pos++
		p.skip(" \t")
		var value string
		if p.pos < len(p.s) && p.s[p.pos] == '"' {
			value = p.quoted()
		} else {
			value = p.token()
		}
		params[strings.ToLower(name)] = value
	}
}

// skip advances past any of the bytes in set.
func (p *headerParser) skip(set string) {
	for p.pos < len(p.s) && strings.IndexByte(set, p.s[p.pos]) >= 0 {
		p.pos++
	}
}

// token reads an RFC 9110 token, which may be empty.
func (p *headerParser) token() string {
	start := p.pos
	for p.pos < len(p.s) && isTokenChar(p.s[p.pos]) {
		p.pos++
	}
	return p.s[start:p.pos]
}

// quoted reads a quoted string that starts at the current position and
// returns it unescaped. An unterminated string runs to the end of the input.
func (p *headerParser) quoted() string {
	var b strings.Builder
	p.pos++ // opening quote
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		p.pos++
		switch {
		case c == '"':
			return b.String()
		case c == '\\' && p.pos < len(p.s):
			b.WriteByte(p.s[p.pos])
			p.pos++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~/", c) >= 0
}

// challengeError returns the "error" parameter of the first challenge in the
// response's WWW-Authenticate header whose scheme is one of schemes, or "".
func challengeError(resp *http.Response, schemes ...string) string {
	for _, c := range parseChallenges(resp.Header.Values("WWW-Authenticate")) {
		for _, scheme := range schemes {
			if strings.EqualFold(c.scheme, scheme) && c.params["error"] != "" {
				return c.params["error"]
			}
		}
	}
	return ""
}

// isInvalidToken reports whether resp rejects the access token as invalid,
// for example because it expired or was revoked (RFC 6750, section 3.1).
func isInvalidToken(resp *http.Response) bool {
	return resp.StatusCode == http.StatusUnauthorized &&
		challengeError(resp, "Bearer", "DPoP") == "invalid_token"
}

// isNonceChallenge reports whether resp requests a new DPoP proof with the
// nonce in its DPoP-Nonce header (RFC 9449, section 9).
func isNonceChallenge(resp *http.Response) bool {
	return resp.StatusCode == http.StatusUnauthorized &&
		resp.Header.Get("DPoP-Nonce") != "" &&
		challengeError(resp, "DPoP") == "use_dpop_nonce"
}

// nonceStore stores the latest DPoP-Nonce value from each server. The token
// endpoint is keyed by its URL and resource servers by their origin, because
// RFC 9449 lets the two issue different nonces.
type nonceStore struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *nonceStore) get(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[key]
}

// remember stores the DPoP-Nonce header of resp, if any, under key.
func (s *nonceStore) remember(key string, resp *http.Response) string {
	nonce := resp.Header.Get("DPoP-Nonce")
	if nonce == "" {
		return ""
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = nonce
	return nonce
}
