package benchmarks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/seed570a29ac/agentpools/api"
)

// floorMaxBody is the largest response body the floor client reads.
const floorMaxBody = 32 << 20

// floorClient is the floor of the benchmarks: the least work a careful
// hand-written client does for one call with net/http and encoding/json. It
// sets the SSWS header, checks the status, reads the body into one buffer
// sized by Content-Length, and decodes it with json.Unmarshal into
// hand-written structs. It has no retries, pacing or unknown-member
// bookkeeping.
type floorClient struct {
	baseURL       string
	authorization []string // the Authorization header value, shared by every request
	http          *http.Client
}

func newFloorClient(baseURL, token string, hc *http.Client) *floorClient {
	return &floorClient{baseURL: baseURL, authorization: []string{"SSWS " + token}, http: hc}
}

var acceptJSON = []string{"application/json"}

// floorCall sends one request without a body and decodes the response,
// which must have status want, into a new T.
func floorCall[T any](ctx context.Context, c *floorClient, method, path string, want int) (T, error) {
	var out T

	req, err := http.NewRequestWithContext(ctx, method, c.baseURL+path, nil)
	if err != nil {
		return out, err
	}
	// NOTE: a POST without a body goes out with "Content-Length: 0", which
	// Okta requires; net/http writes it for a nil body.
	req.Header["Authorization"] = c.authorization
	req.Header["Accept"] = acceptJSON

	resp, err := c.http.Do(req)
	if err != nil {
		return out, err
	}
	defer resp.Body.Close()

	if resp.StatusCode != want {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		return out, fmt.Errorf("floor: %s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, snippet)
	}

	body, err := readBody(resp)
	if err != nil {
		return out, fmt.Errorf("floor: %s %s: reading the body: %w", method, path, err)
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return out, fmt.Errorf("floor: %s %s: decoding the body: %w", method, path, err)
	}
	return out, nil
}

// readBody reads the whole body into a buffer of Content-Length bytes, or
// with io.ReadAll when the length is unknown.
func readBody(resp *http.Response) ([]byte, error) {
	if n := resp.ContentLength; n >= 0 && n <= floorMaxBody {
		body := make([]byte, n)
		_, err := io.ReadFull(resp.Body, body)
		return body, err
	}

	body, err := io.ReadAll(io.LimitReader(resp.Body, floorMaxBody+1))
	if err == nil && len(body) > floorMaxBody {
		err = fmt.Errorf("the body is larger than %d bytes", floorMaxBody)
	}
	return body, err
}

func (c *floorClient) listPools(ctx context.Context) ([]floorPool, error) {
	return floorCall[[]floorPool](ctx, c, http.MethodGet, "/api/v1/agentPools", http.StatusOK)
}

func (c *floorClient) listUpdates(ctx context.Context, poolID string) ([]floorUpdate, error) {
	return floorCall[[]floorUpdate](ctx, c, http.MethodGet, "/api/v1/agentPools/"+poolID+"/updates", http.StatusOK)
}

func (c *floorClient) activateUpdate(ctx context.Context, poolID, updateID string) (*floorUpdate, error) {
	return floorCall[*floorUpdate](ctx, c, http.MethodPost, "/api/v1/agentPools/"+poolID+"/updates/"+updateID+"/activate", http.StatusCreated)
}

func (c *floorClient) listPoolValues(ctx context.Context) ([]valuePool, error) {
	return floorCall[[]valuePool](ctx, c, http.MethodGet, "/api/v1/agentPools", http.StatusOK)
}

func (c *floorClient) listUpdateValues(ctx context.Context, poolID string) ([]valueUpdate, error) {
	return floorCall[[]valueUpdate](ctx, c, http.MethodGet, "/api/v1/agentPools/"+poolID+"/updates", http.StatusOK)
}

func (c *floorClient) activateUpdateValue(ctx context.Context, poolID, updateID string) (*valueUpdate, error) {
	return floorCall[*valueUpdate](ctx, c, http.MethodPost, "/api/v1/agentPools/"+poolID+"/updates/"+updateID+"/activate", http.StatusCreated)
}

func (c *floorClient) listAPIPools(ctx context.Context) ([]api.AgentPool, error) {
	return floorCall[[]api.AgentPool](ctx, c, http.MethodGet, "/api/v1/agentPools", http.StatusOK)
}

func (c *floorClient) listAPIUpdates(ctx context.Context, poolID string) ([]api.AgentPoolUpdate, error) {
	return floorCall[[]api.AgentPoolUpdate](ctx, c, http.MethodGet, "/api/v1/agentPools/"+poolID+"/updates", http.StatusOK)
}

func (c *floorClient) activateAPIUpdate(ctx context.Context, poolID, updateID string) (*api.AgentPoolUpdate, error) {
	return floorCall[*api.AgentPoolUpdate](ctx, c, http.MethodPost, "/api/v1/agentPools/"+poolID+"/updates/"+updateID+"/activate", http.StatusCreated)
}

// floorTime decodes lastConnection and lastUpdated in each form that Okta
// sends: Unix milliseconds, an RFC 3339 string, or null (the zero time).
type floorTime struct {
	time.Time
}

func (t *floorTime) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		t.Time = time.Time{}
		return nil
	case b[0] == '"':
		var s string
		if bytes.IndexByte(b, '\\') < 0 {
			s = string(b[1 : len(b)-1])
		} else if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		parsed, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return err
		}
		t.Time = parsed
		return nil
	default:
		ms, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return fmt.Errorf("floor: timestamp %q is neither Unix milliseconds nor RFC 3339", b)
		}
		t.Time = time.UnixMilli(ms).UTC()
		return nil
	}
}

// The floor structs have the data model of the generated api types: a
// pointer for every optional member, as go-github does, so that an absent
// member differs from a zero one. They keep no unknown members.

type floorHints struct {
	Allow *[]string `json:"allow,omitempty"`
}

type floorHref struct {
	Hints     *floorHints `json:"hints,omitempty"`
	Href      string      `json:"href"`
	Name      *string     `json:"name,omitempty"`
	Templated *bool       `json:"templated,omitempty"`
	Type      *string     `json:"type,omitempty"`
}

type floorLinks struct {
	Self *floorHref `json:"self,omitempty"`
}

type floorAgent struct {
	Links               *floorLinks `json:"_links,omitempty"`
	ID                  *string     `json:"id,omitempty"`
	IsHidden            *bool       `json:"isHidden,omitempty"`
	IsLatestGAedVersion *bool       `json:"isLatestGAedVersion,omitempty"`
	LastConnection      floorTime   `json:"lastConnection"`
	Name                *string     `json:"name,omitempty"`
	OperationalStatus   *string     `json:"operationalStatus,omitempty"`
	PoolID              *string     `json:"poolId,omitempty"`
	Type                *string     `json:"type,omitempty"`
	UpdateMessage       *string     `json:"updateMessage,omitempty"`
	UpdateStatus        *string     `json:"updateStatus,omitempty"`
	Version             *string     `json:"version,omitempty"`
}

type floorPool struct {
	Links             *floorLinks   `json:"_links,omitempty"`
	Agents            *[]floorAgent `json:"agents,omitempty"`
	DisruptedAgents   *int32        `json:"disruptedAgents,omitempty"`
	ID                *string       `json:"id,omitempty"`
	InactiveAgents    *int32        `json:"inactiveAgents,omitempty"`
	Name              *string       `json:"name,omitempty"`
	OperationalStatus *string       `json:"operationalStatus,omitempty"`
	Type              *string       `json:"type,omitempty"`
}

type floorSchedule struct {
	Cron        *string   `json:"cron,omitempty"`
	Delay       *int32    `json:"delay,omitempty"`
	Duration    *int32    `json:"duration,omitempty"`
	LastUpdated floorTime `json:"lastUpdated"`
	Timezone    *string   `json:"timezone,omitempty"`
}

type floorUpdate struct {
	Links         *floorLinks    `json:"_links,omitempty"`
	AgentType     *string        `json:"agentType,omitempty"`
	Agents        *[]floorAgent  `json:"agents,omitempty"`
	Enabled       *bool          `json:"enabled,omitempty"`
	ID            *string        `json:"id,omitempty"`
	Name          *string        `json:"name,omitempty"`
	NotifyAdmin   *bool          `json:"notifyAdmin,omitempty"`
	Reason        *string        `json:"reason,omitempty"`
	Schedule      *floorSchedule `json:"schedule,omitempty"`
	SortOrder     *int32         `json:"sortOrder,omitempty"`
	Status        *string        `json:"status,omitempty"`
	TargetVersion *string        `json:"targetVersion,omitempty"`
}

// The value structs hold the same members without pointers, so an absent
// member reads as its zero value. They show what the pointers cost.

type valueHref struct {
	Hints     struct{ Allow []string } `json:"hints"`
	Href      string                   `json:"href"`
	Name      string                   `json:"name"`
	Templated bool                     `json:"templated"`
	Type      string                   `json:"type"`
}

type valueLinks struct {
	Self valueHref `json:"self"`
}

type valueAgent struct {
	Links               valueLinks `json:"_links"`
	ID                  string     `json:"id"`
	IsHidden            bool       `json:"isHidden"`
	IsLatestGAedVersion bool       `json:"isLatestGAedVersion"`
	LastConnection      floorTime  `json:"lastConnection"`
	Name                string     `json:"name"`
	OperationalStatus   string     `json:"operationalStatus"`
	PoolID              string     `json:"poolId"`
	Type                string     `json:"type"`
	UpdateMessage       string     `json:"updateMessage"`
	UpdateStatus        string     `json:"updateStatus"`
	Version             string     `json:"version"`
}

type valuePool struct {
	Links             valueLinks   `json:"_links"`
	Agents            []valueAgent `json:"agents"`
	DisruptedAgents   int32        `json:"disruptedAgents"`
	ID                string       `json:"id"`
	InactiveAgents    int32        `json:"inactiveAgents"`
	Name              string       `json:"name"`
	OperationalStatus string       `json:"operationalStatus"`
	Type              string       `json:"type"`
}

type valueSchedule struct {
	Cron        string    `json:"cron"`
	Delay       int32     `json:"delay"`
	Duration    int32     `json:"duration"`
	LastUpdated floorTime `json:"lastUpdated"`
	Timezone    string    `json:"timezone"`
}

type valueUpdate struct {
	Links         valueLinks    `json:"_links"`
	AgentType     string        `json:"agentType"`
	Agents        []valueAgent  `json:"agents"`
	Enabled       bool          `json:"enabled"`
	ID            string        `json:"id"`
	Name          string        `json:"name"`
	NotifyAdmin   bool          `json:"notifyAdmin"`
	Reason        string        `json:"reason"`
	Schedule      valueSchedule `json:"schedule"`
	SortOrder     int32         `json:"sortOrder"`
	Status        string        `json:"status"`
	TargetVersion string        `json:"targetVersion"`
}
