package auth

import (
	"context"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// tokenProvider supplies the access tokens that a transport sends.
type tokenProvider interface {
	// token returns a usable access token, which is never empty.
	token(ctx context.Context) (*oauth2.Token, error)

	// invalidate drops token from any cache after a server rejected it.
	invalidate(token *oauth2.Token)
}

// tokenCache caches the token of a tokenEndpoint and refreshes it early.
//
// It does not use oauth2.ReuseTokenSource for two reasons: that type reads
// time.Now, so tests could not move its clock, and its Token method has no
// context, so a caller could not stop waiting for a slow token request.
//
// Concurrent callers that find no usable token share one token request. Each
// caller waits until the request ends or its own context is done. If the
// caller that started the request gives up, the request fails with that
// caller's context error, and the callers still waiting start a new one.
type tokenCache struct {
	source      *tokenEndpoint
	now         func() time.Time
	expiryDelta time.Duration

	mu        sync.Mutex
	current   *oauth2.Token
	refreshAt time.Time // zero when current has no expiry
	flight    *tokenFlight
}

// tokenFlight is one token request that several callers wait for.
type tokenFlight struct {
	done  chan struct{}
	token *oauth2.Token
	err   error

	// abandoned is set when the request failed because the context of the
	// caller that started it ended.
	abandoned bool
}

func (c *tokenCache) token(ctx context.Context) (*oauth2.Token, error) {
	for {
		c.mu.Lock()
		if c.current != nil && (c.refreshAt.IsZero() || c.now().Before(c.refreshAt)) {
			token := c.current
			c.mu.Unlock()
			return token, nil
		}

		flight := c.flight
		if flight == nil {
			flight = &tokenFlight{done: make(chan struct{})}
			c.flight = flight
			c.mu.Unlock()
			c.run(ctx, flight)
		} else {
			c.mu.Unlock()
		}

		select {
		case <-flight.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}

		if flight.err == nil {
			return flight.token, nil
		}
		if flight.abandoned && ctx.Err() == nil {
			continue
		}
		return nil, flight.err
	}
}

// run performs the token request of flight and stores its result.
func (c *tokenCache) run(ctx context.Context, flight *tokenFlight) {
	token, err := c.source.fetch(ctx)

	c.mu.Lock()
	if err == nil {
		c.current = token
		c.refreshAt = c.refreshTime(token)
	}
	c.flight = nil
	flight.token = token
	flight.err = err
	flight.abandoned = err != nil && ctx.Err() != nil
	c.mu.Unlock()

	close(flight.done)
}

// refreshTime returns when token should be replaced: expiryDelta before it
// expires, but no earlier than halfway through its lifetime, so that a short
// lifetime does not cause a token request for every API request.
func (c *tokenCache) refreshTime(token *oauth2.Token) time.Time {
	if token.Expiry.IsZero() {
		return time.Time{}
	}

	lifetime := token.Expiry.Sub(c.now())
	delta := min(c.expiryDelta, lifetime/2)
	return token.Expiry.Add(-delta)
}

func (c *tokenCache) invalidate(token *oauth2.Token) {
	c.mu.Lock()
	defer c.mu.Unlock()

	// Only the token that was rejected is dropped, so that many requests
	// rejected at once cause one token request, not one each.
	if c.current == token {
		c.current = nil
	}
}
