package client

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/seed570a29ac/agentpools/auth"
)

// Default values of the options.
const (
	// DefaultMaxResponseBytes is the largest response body a Client reads
	// unless WithMaxResponseBytes sets another limit: 32 MiB.
	DefaultMaxResponseBytes int64 = 32 << 20

	// DefaultTimeout is the time limit of one attempt of a request, body
	// included, of the *http.Client that New makes when WithHTTPClient is
	// not used.
	DefaultTimeout = 60 * time.Second
)

// Option configures a Client in New. Every With... function checks its
// argument and returns an Option that fails New with an error naming the
// invalid value.
type Option func(*config) error

// config collects the options before New builds the Client.
type config struct {
	credentials      auth.Credentials
	httpClient       *http.Client
	logger           *slog.Logger
	userAgent        string
	retry            RetryPolicy
	pacing           bool
	maxResponseBytes int64
	clock            Clock
	random           func() float64 // returns a value in [0, 1) for jitter
}

func defaultConfig() config {
	return config{
		logger:           slog.New(slog.DiscardHandler),
		pacing:           true,
		maxResponseBytes: DefaultMaxResponseBytes,
		clock:            systemClock{},
		random:           rand.Float64,
	}
}

// WithCredentials sets how the Client authenticates, such as
// auth.APIToken(token) or auth.PrivateKeyJWT(cfg). It is required: New
// fails without it.
func WithCredentials(creds auth.Credentials) Option {
	return func(c *config) error {
		if creds == nil {
			return errors.New("client: WithCredentials got nil credentials; pass an auth.Credentials such as auth.APIToken(token)")
		}
		c.credentials = creds
		return nil
	}
}

// WithHTTPClient sets the *http.Client whose Transport, Timeout and Jar the
// Client uses. New copies it: the copy's Transport is wrapped by the
// credentials, and its CheckRedirect is replaced by one that rejects
// redirects to another origin, so credentials never leave the org. The
// default is a client with DefaultTimeout per attempt and a copy of
// http.DefaultTransport with a 30 s response header timeout.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("client: WithHTTPClient got a nil *http.Client; omit the option to use the default client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithLogger sets the logger that receives a debug record for each request
// attempt, retry and pacing wait. Records carry the method, path, status,
// attempt, wait and Okta request ID, never credentials or bodies. The
// default discards every record.
func WithLogger(logger *slog.Logger) Option {
	return func(c *config) error {
		if logger == nil {
			return errors.New("client: WithLogger got a nil *slog.Logger; omit the option to log nothing")
		}
		c.logger = logger
		return nil
	}
}

// WithUserAgent appends product to the User-Agent header, which is by
// default "agentpools-go/<version> go/<Go version> (<GOOS>/<GOARCH>)".
// product, such as "inventory-sync/2.1", must be printable ASCII.
func WithUserAgent(product string) Option {
	return func(c *config) error {
		if product == "" {
			return errors.New("client: WithUserAgent got an empty string; pass a product such as \"myapp/1.0\" or omit the option")
		}
		for i := 0; i < len(product); i++ {
			if product[i] < 0x20 || product[i] > 0x7e {
				return fmt.Errorf("client: WithUserAgent value %q contains the byte %#x; use printable ASCII only", product, product[i])
			}
		}
		c.userAgent = product
		return nil
	}
}

// WithRetry sets how the Client retries requests that were rate-limited,
// got a server error status or failed on the network. Zero fields of p take their defaults, which the
// RetryPolicy fields document; negative values are rejected. Retries are on
// by default.
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error {
		if err := p.validate(); err != nil {
			return err
		}
		c.retry = p
		return nil
	}
}

// WithPacing sets whether the Client delays a request to an endpoint whose
// rate-limit window is used up (X-Rate-Limit-Remaining: 0) until the window
// resets, instead of sending it and getting a 429 response. Pacing is on by
// default.
func WithPacing(on bool) Option {
	return func(c *config) error {
		c.pacing = on
		return nil
	}
}

// WithMaxResponseBytes sets the largest response body, in bytes, that the
// Client reads. A successful response with a larger body fails with an
// error instead of being truncated. The body of an error response is read
// up to the limit. The default is DefaultMaxResponseBytes (32 MiB).
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("client: WithMaxResponseBytes got %d; pass a positive number of bytes", n)
		}
		c.maxResponseBytes = n
		return nil
	}
}

// WithClock sets the time source and the waits of the Client: the clock
// that computes rate-limit waits and the timer of every backoff and pacing
// wait. Tests pass a fake clock so that waits take no real time. The
// default is the system clock with real timers.
func WithClock(clock Clock) Option {
	return func(c *config) error {
		if clock == nil {
			return errors.New("client: WithClock got a nil Clock; omit the option to use the system clock")
		}
		c.clock = clock
		return nil
	}
}

// withRandom sets the source of jitter, which must return values in
// [0, 1). Tests use it to make waits exact.
func withRandom(random func() float64) Option {
	return func(c *config) error {
		c.random = random
		return nil
	}
}

// defaultHTTPClient returns the *http.Client used when WithHTTPClient is
// not given. When a program has replaced http.DefaultTransport with another
// type, that transport is used as it is.
func defaultHTTPClient() *http.Client {
	hc := &http.Client{Timeout: DefaultTimeout}
	if base, ok := http.DefaultTransport.(*http.Transport); ok {
		transport := base.Clone()
		transport.ResponseHeaderTimeout = 30 * time.Second
		hc.Transport = transport
	}
	return hc
}
