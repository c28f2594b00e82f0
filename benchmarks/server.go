package benchmarks

import (
	"crypto"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Token is the API token that every Server accepts as "SSWS <Token>".
const Token = "00bench-api-token-0123456789abcdefghijklmno"

// Canned error bodies, in the shape of Okta's error object.
var (
	errInvalidToken = []byte(`{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oaeBenchInvalidToken01","errorCauses":[]}`)
	errNotFound     = []byte(`{"errorCode":"E0000007","errorSummary":"Not found: Resource not found","errorLink":"E0000007","errorId":"oaeBenchNotFound000001","errorCauses":[]}`)
	errBadCursor    = []byte(`{"errorCode":"E0000001","errorSummary":"Api validation failed: after","errorLink":"E0000001","errorId":"oaeBenchBadCursor00001","errorCauses":[]}`)
)

// Server is an Okta org that serves pre-encoded bodies for the operations of
// the Agent Pools API that the benchmarks call:
//
//   - GET /api/v1/agentPools: Pools, or the pages of Pages;
//   - GET /api/v1/agentPools/{poolId}/updates: Updates, for PoolID(0);
//   - POST /api/v1/agentPools/{poolId}/updates/{updateId}/activate:
//     Activated with status 201, for PoolID(0) and UpdateID(0);
//   - POST /oauth2/v1/token, when OAuth is set.
//
// Every API request must carry "SSWS " + Token or an access token that
// OAuth issued. Responses carry X-Okta-Request-Id and X-Rate-Limit-*
// headers like Okta's, with a remaining count that never runs low, so that
// a client's rate-limit pacing never waits.
//
// Set the fields before serving; a Server is safe for concurrent use after.
type Server struct {
	Pools     []byte
	Pages     *Pages
	Updates   []byte
	Activated []byte
	OAuth     *TokenIssuer

	requests atomic.Int64
	mux      *http.ServeMux
	once     sync.Once
}

// Requests returns the number of API requests served, the token endpoint's
// excluded.
func (s *Server) Requests() int64 { return s.requests.Load() }

// ServeHTTP serves the routes that the Server doc comment lists.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.once.Do(func() {
		s.mux = http.NewServeMux()
		s.mux.HandleFunc("GET /api/v1/agentPools", s.listPools)
		s.mux.HandleFunc("GET /api/v1/agentPools/{poolId}/updates", s.listUpdates)
		s.mux.HandleFunc("POST /api/v1/agentPools/{poolId}/updates/{updateId}/activate", s.activate)
		s.mux.HandleFunc("POST /oauth2/v1/token", s.token)
	})
	s.mux.ServeHTTP(w, r)
}

func (s *Server) listPools(w http.ResponseWriter, r *http.Request) {
	if !s.begin(w, r) {
		return
	}

	if s.Pages == nil {
		w.Header().Set("Link", "<http://"+r.Host+"/api/v1/agentPools>; rel=\"self\"")
		writeJSON(w, http.StatusOK, s.Pools)
		return
	}

	after := r.URL.Query().Get("after")
	page, ok := s.Pages.index[after]
	if !ok {
		writeJSON(w, http.StatusBadRequest, errBadCursor)
		return
	}
	links := []string{"<http://" + r.Host + r.URL.RequestURI() + ">; rel=\"self\""}
	if page+1 < len(s.Pages.bodies) {
		next := s.Pages.cursors[page+1]
		links = append(links, "<http://"+r.Host+"/api/v1/agentPools?after="+next+"&limitPerPoolType="+strconv.Itoa(s.Pages.perPage)+">; rel=\"next\"")
	}
	w.Header()["Link"] = links
	writeJSON(w, http.StatusOK, s.Pages.bodies[page])
}

func (s *Server) listUpdates(w http.ResponseWriter, r *http.Request) {
	if !s.begin(w, r) {
		return
	}
	if r.PathValue("poolId") != PoolID(0) {
		writeJSON(w, http.StatusNotFound, errNotFound)
		return
	}
	writeJSON(w, http.StatusOK, s.Updates)
}

func (s *Server) activate(w http.ResponseWriter, r *http.Request) {
	if !s.begin(w, r) {
		return
	}
	if r.PathValue("poolId") != PoolID(0) || r.PathValue("updateId") != UpdateID(0) {
		writeJSON(w, http.StatusNotFound, errNotFound)
		return
	}
	writeJSON(w, http.StatusCreated, s.Activated)
}

// begin counts an API request, sets Okta's response headers and checks the
// credentials. It writes a 401 response and returns false when they are
// invalid.
func (s *Server) begin(w http.ResponseWriter, r *http.Request) bool {
	n := s.requests.Add(1)

	h := w.Header()
	h["X-Okta-Request-Id"] = []string{"XkcO6Ue8yNBxTgNsVeRS" + strconv.FormatInt(n, 36)}
	h["X-Rate-Limit-Limit"] = []string{"600"}
	h["X-Rate-Limit-Remaining"] = []string{"599"}
	h["X-Rate-Limit-Reset"] = []string{strconv.FormatInt(time.Now().Unix()+60, 10)}

	credentials := r.Header.Get("Authorization")
	if credentials == "SSWS "+Token {
		return true
	}
	if token, ok := strings.CutPrefix(credentials, "Bearer "); ok && s.OAuth != nil && s.OAuth.valid(token) {
		return true
	}
	writeJSON(w, http.StatusUnauthorized, errInvalidToken)
	return false
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if s.OAuth == nil {
		writeJSON(w, http.StatusNotFound, errNotFound)
		return
	}
	s.OAuth.serve(w, r)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// Pages is a listing of pools split into pages that link to each other
// with rel="next" Link headers and "after" cursors, as Okta paginates.
type Pages struct {
	bodies  [][]byte
	cursors []string       // cursors[i] is the "after" value of page i; "" for page 0
	index   map[string]int // cursor to page
	perPage int
}

// NewPages encodes total pools in pages of perPage pools. The cursor of a
// page is the ID of the last pool of the page before it.
func NewPages(total, perPage int, form TimeForm) *Pages {
	p := &Pages{index: make(map[string]int), perPage: perPage}
	for first := 0; first < total; first += perPage {
		count := min(perPage, total-first)
		cursor := ""
		if first > 0 {
			cursor = PoolID(first - 1)
		}
		p.index[cursor] = len(p.bodies)
		p.cursors = append(p.cursors, cursor)
		p.bodies = append(p.bodies, PoolsPage(first, count, form))
	}
	return p
}

// Body returns the JSON of page i.
func (p *Pages) Body(i int) []byte { return p.bodies[i] }

// TokenIssuer is the org authorization server's token endpoint. It accepts
// the client credentials grant with a private_key_jwt client assertion
// signed by Key, and issues Bearer tokens that expire after Lifetime.
//
// Set the fields before serving.
type TokenIssuer struct {
	ClientID string
	Key      crypto.PublicKey
	Lifetime time.Duration

	// Delay is how long the endpoint takes to respond, so that concurrent
	// callers of a client overlap with the token request in flight.
	Delay time.Duration

	requests atomic.Int64
	issued   sync.Map // access token to struct{}
}

// Requests returns the number of token requests received, valid or not.
func (t *TokenIssuer) Requests() int64 { return t.requests.Load() }

func (t *TokenIssuer) valid(token string) bool {
	_, ok := t.issued.Load(token)
	return ok
}

// assertionAlgorithms are the signature algorithms that the endpoint
// accepts on client assertions.
var assertionAlgorithms = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.ES256, jose.ES384, jose.ES512}

func (t *TokenIssuer) serve(w http.ResponseWriter, r *http.Request) {
	n := t.requests.Add(1)

	if t.Delay > 0 {
		timer := time.NewTimer(t.Delay)
		select {
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
			return
		}
	}

	// NOTE: Okta's token endpoint reads form parameters; the official SDK
	// v5.0.2 sends them in the query string of the POST, which ParseForm
	// also reads.
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The request body is not a form.")
		return
	}
	if r.Form.Get("grant_type") != "client_credentials" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "Only client_credentials is supported.")
		return
	}
	if r.Form.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "A private_key_jwt client assertion is required.")
		return
	}
	assertion, err := jwt.ParseSigned(r.Form.Get("client_assertion"), assertionAlgorithms)
	if err != nil {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "The client assertion is not a signed JWT.")
		return
	}
	var claims jwt.Claims
	if err := assertion.Claims(t.Key, &claims); err != nil {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "The client assertion signature is invalid.")
		return
	}
	if claims.Issuer != t.ClientID || claims.Subject != t.ClientID {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "The client assertion names another client.")
		return
	}

	token := "eyJbench." + strconv.FormatInt(n, 10)
	t.issued.Store(token, struct{}{})
	body, _ := json.Marshal(map[string]any{
		"token_type":   "Bearer",
		"expires_in":   int64(t.Lifetime / time.Second),
		"access_token": token,
		"scope":        r.Form.Get("scope"),
	})
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, body)
}

func writeOAuthError(w http.ResponseWriter, status int, code, description string) {
	body, _ := json.Marshal(map[string]string{"error": code, "error_description": description})
	writeJSON(w, status, body)
}
