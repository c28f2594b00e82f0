package oktatest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// Server is a fake Okta org that serves the Agent Pools API on 127.0.0.1.
// Its methods are safe for concurrent use, also while it serves requests.
type Server struct {
	// URL is the base URL of the running server, such as
	// http://127.0.0.1:51234, without a trailing slash. It is empty until
	// the server starts.
	URL string

	now    func() time.Time
	logger *slog.Logger
	oauth  *authServer

	apiToken          string
	readOnlyTokens    []string
	cursorTag         string // makes cursors of other servers unknown
	sampleData        bool
	validateResponses bool

	spec                   *spec
	specErr                error
	requestOptions         *openapi3filter.Options // for operations with a request body
	bodilessRequestOptions *openapi3filter.Options // for operations without one
	responseOptions        *openapi3filter.Options

	store   *store
	limiter *rateLimiter
	faults  *faultQueue

	requestsMu sync.Mutex
	requests   []Request

	validationMu     sync.Mutex
	validationErrors []error

	lifecycleMu sync.Mutex
	httpServer  *http.Server
	closed      bool
	ctx         context.Context // canceled by Close, ends injected delays
	cancel      context.CancelFunc
	active      sync.WaitGroup // requests being served
}

// NewServer starts a fake org on 127.0.0.1 at a free port and returns it.
// The caller must Close it. Like httptest.NewServer, it panics when it
// cannot listen.
func NewServer(opts ...Option) *Server {
	s := NewUnstartedServer(opts...)
	s.Start()
	return s
}

// NewUnstartedServer returns a fake org that is not yet listening, so it
// can be seeded first; start it with Start or StartOn.
func NewUnstartedServer(opts ...Option) *Server {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		now:                    time.Now,
		logger:                 slog.New(slog.DiscardHandler),
		apiToken:               newAPITokenValue(),
		cursorTag:              randomToken(6),
		validateResponses:      true,
		requestOptions:         requestOptions(false),
		bodilessRequestOptions: requestOptions(true),
		responseOptions:        responseOptions(),
		store:                  newStore(),
		limiter:                newRateLimiter(),
		faults:                 newFaultQueue(),
		ctx:                    ctx,
		cancel:                 cancel,
	}
	// The authorization server reads the clock through s, so WithClock
	// applies to it too, and options may already use s.oauth.
	s.oauth = newAuthServer(s.clock)
	s.spec, s.specErr = embeddedSpec()

	for _, opt := range opts {
		if opt != nil {
			opt(s)
		}
	}

	if s.sampleData {
		s.SeedSample()
	}
	return s
}

func (s *Server) clock() time.Time {
	return s.now()
}

// Start starts the server on 127.0.0.1 at a free port. Like
// httptest.Server.Start, it panics when the server was already started or
// cannot listen.
func (s *Server) Start() {
	if err := s.StartOn("127.0.0.1:0"); err != nil {
		panic(err)
	}
}

// StartOn starts the server on addr, such as "127.0.0.1:8080", and sets
// URL. The host of addr must be a loopback IP address or "localhost",
// because the fake serves plain HTTP and accepts known credentials. It
// returns an error, without listening, for any other host, including an
// empty one such as ":8080", which would listen on every interface. It
// also returns an error when the server was already started or closed, or
// cannot listen on addr.
func (s *Server) StartOn(addr string) error {
	if err := checkLoopbackAddr(addr); err != nil {
		return err
	}

	s.lifecycleMu.Lock()
	defer s.lifecycleMu.Unlock()

	if s.closed {
		return errors.New("oktatest: server is closed; create a new one")
	}
	if s.httpServer != nil {
		return fmt.Errorf("oktatest: server already started at %s", s.URL)
	}

	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("oktatest: listening on %s failed: %w", addr, err)
	}
	s.URL = "http://" + listener.Addr().String()

	s.httpServer = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return s.ctx },
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelDebug),
	}
	server := s.httpServer
	go func() {
		if err := server.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logger.Error("oktatest: serving failed", "url", s.URL, "error", err)
		}
	}()

	s.logger.Info("oktatest: fake Okta org started", "url", s.URL)
	return nil
}

// checkLoopbackAddr rejects a listen address whose host is not a loopback
// IP address or "localhost". It resolves no names.
func checkLoopbackAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("oktatest: address %q is invalid: %w; pass a host and port such as 127.0.0.1:8080", addr, err)
	}

	ip := net.ParseIP(host)
	if strings.EqualFold(host, "localhost") || (ip != nil && ip.IsLoopback()) {
		return nil
	}
	return fmt.Errorf("oktatest: address %q is not a loopback address: the fake org serves plain HTTP on loopback only; "+
		"pass 127.0.0.1, ::1 or localhost as the host, such as 127.0.0.1:8080", addr)
}

// Close stops the server, ends the requests it is serving (injected delays
// end early), and waits for their handlers to return. Closing twice, or
// closing a server that never started, does nothing.
func (s *Server) Close() {
	s.lifecycleMu.Lock()
	if s.closed {
		s.lifecycleMu.Unlock()
		return
	}
	s.closed = true
	server := s.httpServer
	s.lifecycleMu.Unlock()

	s.cancel()
	if server != nil {
		_ = server.Close() // Close reports only errors of closing listeners that are already gone.
		s.logger.Info("oktatest: fake Okta org stopped", "url", s.URL)
	}
	s.active.Wait()
}

// Handler returns the server's HTTP handler, to mount the fake org in
// another server. Links in responses use the scheme and Host of each
// request.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

// APIToken returns the SSWS API token that the server accepts for every
// operation: the one of WithAPIToken, or a random one.
func (s *Server) APIToken() string {
	return s.apiToken
}
