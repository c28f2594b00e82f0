package oktatest_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/oktatest"
)

func TestUnknownPath(t *testing.T) {
	srv := oktatest.New(t)

	for _, path := range []string{"/api/v1/users", "/api/v1/agentPools/", "/api/v1/agentPools/x", "/api/v1/agentPools/x/updates/y/launch", "/api/v1/agentPoolsX"} {
		resp, body := call(t, srv, http.MethodGet, path, "")
		requireOktaError(t, resp, body, http.StatusNotFound, "E0000007")
	}
}

func TestWrongMethod(t *testing.T) {
	srv := oktatest.New(t)

	resp, body := call(t, srv, http.MethodPut, "/api/v1/agentPools/x/updates/y", `{}`)

	requireOktaError(t, resp, body, http.StatusMethodNotAllowed, "E0000022")
	assert.Equal(t, "DELETE, GET, POST", resp.Header.Get("Allow"))

	resp, body = call(t, srv, http.MethodGet, "/api/v1/agentPools/x/updates/y/pause", "")
	requireOktaError(t, resp, body, http.StatusMethodNotAllowed, "E0000022")
	assert.Equal(t, "POST", resp.Header.Get("Allow"))
}

func TestEscapedIDsStayOneSegment(t *testing.T) {
	srv := oktatest.New(t)
	pool := srv.AddPool(api.AgentPool{Id: ptr("a/b?c#d"), Name: ptr("odd"), Type: ptr(api.AD)})
	update, err := srv.AddUpdate(*pool.Id, api.AgentPoolUpdate{Id: ptr("u/1 2"), Name: ptr("odd update")})
	require.NoError(t, err)

	path := "/api/v1/agentPools/" + url.PathEscape(*pool.Id) + "/updates/" + url.PathEscape(*update.Id)
	require.Equal(t, "/api/v1/agentPools/a%2Fb%3Fc%23d/updates/u%2F1%202", path)

	resp, body := call(t, srv, http.MethodGet, path, "")

	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", body)
	u := decode[api.AgentPoolUpdate](t, body)
	assert.Equal(t, "u/1 2", *u.Id)
	assert.Equal(t, srv.URL+path, u.Links.Self.Href, "the self link escapes the IDs")

	requests := srv.Requests()
	require.Len(t, requests, 1)
	assert.Equal(t, "getAgentPoolsUpdateInstance", requests[0].OperationID)
	assert.Equal(t, "/api/v1/agentPools/a/b?c#d/updates/u/1 2", requests[0].Path)
}

// rawPost sends a POST over a plain TCP connection, to control the
// framing headers exactly, and returns the status.
func rawPost(t *testing.T, srv *oktatest.Server, path, framing string) int {
	t.Helper()

	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()

	_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: SSWS %s\r\n%s\r\n",
		path, strings.TrimPrefix(srv.URL, "http://"), srv.APIToken(), framing)
	require.NoError(t, err)

	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func TestBodylessPostNeedsContentLength(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "corp.example.com")
	update := sampleUpdate(t, srv, *pool.Id, "Monthly AD agent update")
	path := updatesPath(*pool.Id) + "/" + *update.Id + "/pause"

	assert.Equal(t, http.StatusLengthRequired, rawPost(t, srv, path, "Transfer-Encoding: chunked\r\n\r\n0\r\n"))
	stored, _ := srv.Update(*pool.Id, *update.Id)
	assert.Equal(t, api.AgentUpdateJobStatusScheduled, *stored.Status, "a 411 changes nothing")

	assert.Equal(t, http.StatusCreated, rawPost(t, srv, path, "Content-Length: 0\r\n"))
}

func TestBodylessPostFromGoClient(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "corp.example.com")
	update := sampleUpdate(t, srv, *pool.Id, "Monthly AD agent update")
	url := srv.URL + updatesPath(*pool.Id) + "/" + *update.Id + "/deactivate"

	// An empty reader of unknown length goes out chunked.
	req, err := http.NewRequest(http.MethodPost, url, io.MultiReader())
	require.NoError(t, err)
	req.Header.Set("Authorization", "SSWS "+srv.APIToken())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusLengthRequired, resp.StatusCode)

	// http.NoBody goes out with Content-Length: 0.
	req, err = http.NewRequest(http.MethodPost, url, http.NoBody)
	require.NoError(t, err)
	req.Header.Set("Authorization", "SSWS "+srv.APIToken())
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
}
