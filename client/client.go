package client

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"
)

// Version is the version of this module, sent in the User-Agent header.
const Version = "0.1.0"

// Client calls the Agent Pools API of one Okta org. Create it with New.
//
// A Client is safe for concurrent use by multiple goroutines. Its rate-limit
// pacing state is shared by every call made through it.
type Client struct {
	server     string // the org URL, such as "https://acme.okta.com", without a trailing slash
	httpClient *http.Client
	transport  http.RoundTripper // the transport of httpClient under the credentials
	userAgent  string
	logger     *slog.Logger
	retry      RetryPolicy
	clock      Clock
	random     func() float64
	maxBody    int64
	pacer      *pacer // nil when pacing is off
}

// New returns a Client for the org at orgURL, such as
// "https://acme.okta.com".
//
// orgURL must use https and contain only a scheme and a host, with an
// optional port and trailing slash. Plain http is accepted only for
// loopback hosts (localhost, 127.0.0.0/8 and ::1), so that tests can use a
// local server. WithCredentials is required; every other option has a
// default that its doc comment states.
//
// Create one Client for each org and reuse it for the life of the program,
// from as many goroutines as needed: it is safe for concurrent use. Unless
// WithHTTPClient passes a shared transport, each Client has its own
// connection pool, whose idle connections stay open until they time out
// (after 90 s with the default transport) or CloseIdleConnections closes
// them.
//
// New returns an error naming the invalid value or the missing option.
func New(orgURL string, opts ...Option) (*Client, error) {
	org, err := parseOrgURL(orgURL)
	if err != nil {
		return nil, err
	}

	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("client: nil Option passed to New; remove it or pass a With... option")
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.credentials == nil {
		return nil, errors.New("client: no credentials; pass WithCredentials with an auth.Credentials such as auth.APIToken(token)")
	}

	httpClient, transport, err := cfg.buildHTTPClient(org)
	if err != nil {
		return nil, err
	}

	c := &Client{
		server:     org.String(),
		httpClient: httpClient,
		transport:  transport,
		userAgent:  buildUserAgent(cfg.userAgent),
		logger:     cfg.logger,
		retry:      cfg.retry.withDefaults(),
		clock:      cfg.clock,
		random:     cfg.random,
		maxBody:    cfg.maxResponseBytes,
	}
	if cfg.pacing {
		c.pacer = newPacer()
	}
	return c, nil
}

// buildHTTPClient returns a copy of the configured *http.Client whose
// transport adds the credentials and whose redirect policy keeps them on
// the org's origin, and the transport under the credentials.
func (cfg *config) buildHTTPClient(org *url.URL) (*http.Client, http.RoundTripper, error) {
	base := cfg.httpClient
	if base == nil {
		base = defaultHTTPClient()
	}

	transport := base.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	authed, err := cfg.credentials.RoundTripper(org, transport)
	if err != nil {
		return nil, nil, fmt.Errorf("client: setting up credentials: %w", err)
	}
	if authed == nil {
		return nil, nil, errors.New("client: credentials returned a nil http.RoundTripper; check the auth.Credentials passed to WithCredentials")
	}

	hc := *base
	hc.Transport = authed
	hc.CheckRedirect = sameOriginRedirects(org)
	return &hc, transport, nil
}

// buildUserAgent returns the User-Agent header value: the library's own
// product tokens, followed by extra when it is not empty.
func buildUserAgent(extra string) string {
	ua := fmt.Sprintf("agentpools-go/%s go/%s (%s/%s)", Version, goVersion(), runtime.GOOS, runtime.GOARCH)
	if extra != "" {
		ua += " " + extra
	}
	return ua
}

// goVersion returns the Go release without its "go" prefix, such as
// "1.26.0". A development toolchain reports "devel go1.27-abc ..."; only
// its first word is kept, because a product token has no spaces.
func goVersion() string {
	v := strings.TrimPrefix(runtime.Version(), "go")
	if i := strings.IndexByte(v, ' '); i >= 0 {
		v = v[:i]
	}
	return v
}

// CloseIdleConnections closes the connections of the Client's
// *http.Client that are open but idle, and leaves those in use alone. The
// Client remains usable: a later call opens a new connection.
//
// The credentials wrap the transport of the *http.Client, so this method
// calls the CloseIdleConnections method of the transport itself, when it
// has one, as *http.Transport does. When WithHTTPClient passed a transport
// that other clients share, such as http.DefaultTransport, their idle
// connections are closed too.
func (c *Client) CloseIdleConnections() {
	if closer, ok := c.transport.(interface{ CloseIdleConnections() }); ok {
		closer.CloseIdleConnections()
	}
}
