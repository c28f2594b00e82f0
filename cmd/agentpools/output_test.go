package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/client"
)

func TestJSONArrayStreamsElements(t *testing.T) {
	var out bytes.Buffer
	list := &jsonArray{w: &out}

	require.NoError(t, list.add(map[string]string{"id": "a&b"}))
	assert.Equal(t, "[\n  {\n    \"id\": \"a&b\"\n  }", out.String(), "the first element is written before the array ends")
	require.NoError(t, list.add(map[string]int{"n": 2}))
	require.NoError(t, list.close())

	assert.Equal(t, "[\n  {\n    \"id\": \"a&b\"\n  },\n  {\n    \"n\": 2\n  }\n]\n", out.String())
	var decoded []any
	assert.NoError(t, json.Unmarshal(out.Bytes(), &decoded))
}

func TestJSONKeepsHTMLCharactersAndNumbers(t *testing.T) {
	var pool api.AgentPool
	require.NoError(t, json.Unmarshal([]byte(`{"name": "R&D <lab>", "weight": 1.50, "big": 12345678901234567890}`), &pool))

	data, err := encodeJSON(pool, "")

	require.NoError(t, err)
	assert.Contains(t, string(data), `"name": "R&D <lab>"`)
	assert.Contains(t, string(data), `"weight": 1.50`, "numbers keep the form the API sent")
	assert.Contains(t, string(data), `"big": 12345678901234567890`)
}

func TestJSONArrayEmpty(t *testing.T) {
	var out bytes.Buffer
	list := &jsonArray{w: &out}

	require.NoError(t, list.close())

	assert.Equal(t, "[]\n", out.String())
}

func TestWriteJSONKeepsUnknownMembers(t *testing.T) {
	var pool api.AgentPool
	require.NoError(t, json.Unmarshal([]byte(`{"id": "p1", "type": "SCIM", "region": {"name": "eu"}}`), &pool))

	var out bytes.Buffer
	require.NoError(t, writeJSON(&out, pool))

	assert.JSONEq(t, `{"id": "p1", "type": "SCIM", "region": {"name": "eu"}}`, out.String())
	assert.True(t, strings.HasSuffix(out.String(), "}\n"))
}

func TestTableCell(t *testing.T) {
	assert.Equal(t, "-", tableCell(""))
	assert.Equal(t, "plain name", tableCell("plain name"))
	assert.Equal(t, `"a\tb"`, tableCell("a\tb"))
	assert.Equal(t, `"\x1b[31mred"`, tableCell("\x1b[31mred"))
}

func TestTableAlignsColumns(t *testing.T) {
	var out bytes.Buffer
	tab := newTable(&out, "ID", "NAME")
	tab.row("p1", "first pool")
	tab.row("pool-22", "")
	require.NoError(t, tab.flush())

	assert.Equal(t, "ID       NAME\np1       first pool\npool-22  -\n", out.String())
}

// failOnceWriter fails its first write and accepts the rest.
type failOnceWriter struct {
	failed bool
}

func (w *failOnceWriter) Write(p []byte) (int, error) {
	if !w.failed {
		w.failed = true
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestTableFlushReturnsRowWriteError(t *testing.T) {
	// A one-column table writes each line at once, so the header meets the
	// error before flush.
	tab := newTable(&failOnceWriter{}, "ID")
	tab.row("p1")

	assert.EqualError(t, tab.flush(), "disk full")
}

func TestPoolRow(t *testing.T) {
	agents := []api.Agent{{}, {}}
	pool := api.AgentPool{
		Id:                ptrTo("p1"),
		Name:              ptrTo("region1A.dc"),
		Type:              ptrTo(api.AgentType("AD")),
		OperationalStatus: ptrTo(api.OperationalStatus("DEGRADED")),
		Agents:            &agents,
		DisruptedAgents:   ptrTo(int32(1)),
	}

	assert.Equal(t, []string{"p1", "region1A.dc", "AD", "DEGRADED", "2", "1", ""}, poolRow(pool))
}

func TestUpdateRow(t *testing.T) {
	update := api.AgentPoolUpdate{
		Id:            ptrTo("u1"),
		Name:          ptrTo("Third Saturday"),
		Status:        ptrTo(api.AgentUpdateJobStatus("Scheduled")),
		Enabled:       ptrTo(false),
		TargetVersion: ptrTo("3.20.0"),
		Schedule:      &api.AutoUpdateSchedule{Cron: ptrTo("0 8 ? * 6#3"), Timezone: ptrTo("America/New_York")},
	}

	assert.Equal(t, []string{"u1", "Third Saturday", "Scheduled", "no", "3.20.0", "0 8 ? * 6#3 America/New_York"}, updateRow(update))
}

func TestAPIErrorIsOneLine(t *testing.T) {
	var stderr bytes.Buffer
	a := &app{stderr: &stderr}
	apiErr := &client.Error{
		StatusCode: 404,
		Code:       "E0000007",
		Summary:    "Not found: Resource not found: u1 (AgentPoolUpdate)\nsecond line",
		RequestID:  "req-123",
		Method:     "GET",
		URL:        "http://127.0.0.1/api/v1/agentPools/p1/updates/u1",
	}

	code := a.report(fmt.Errorf("wrapped: %w", apiErr))

	assert.Equal(t, exitError, code)
	assert.Equal(t, "agentpools: HTTP 404 E0000007: Not found: Resource not found: u1 (AgentPoolUpdate) second line (request id req-123)\n", stderr.String())
}

func TestAPIErrorIncludesCauses(t *testing.T) {
	tests := []struct {
		name   string
		causes []string
		want   string
	}{
		{"one cause", []string{`status: cannot activate update u1 in status "InProgress"; activate applies only to status Scheduled`},
			`agentpools: HTTP 400 E0000001: Api validation failed: status: cannot activate update u1 in status "InProgress"; activate applies only to status Scheduled (request id r1)` + "\n"},
		{"several causes", []string{"name: must not be empty", " schedule.cron: invalid\nexpression "},
			"agentpools: HTTP 400 E0000001: Api validation failed: status: name: must not be empty; schedule.cron: invalid expression (request id r1)\n"},
		{"cause of another field", []string{"schedule: cannot pause ad hoc update u1"},
			"agentpools: HTTP 400 E0000001: Api validation failed: status: schedule: cannot pause ad hoc update u1 (request id r1)\n"},
		{"empty causes", []string{"", " ", "status: "},
			"agentpools: HTTP 400 E0000001: Api validation failed: status (request id r1)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			a := &app{stderr: &stderr}
			apiErr := &client.Error{
				StatusCode: 400,
				Code:       "E0000001",
				Summary:    "Api validation failed: status",
				Causes:     tt.causes,
				RequestID:  "r1",
			}

			code := a.report(apiErr)

			assert.Equal(t, exitError, code)
			assert.Equal(t, tt.want, stderr.String())
		})
	}
}

func TestRateLimitErrorReportsAPIError(t *testing.T) {
	var stderr bytes.Buffer
	a := &app{stderr: &stderr}
	rateErr := &client.RateLimitError{Err: &client.Error{StatusCode: 429, Code: "E0000047", Summary: "API call exceeded rate limit due to too many requests.", RequestID: "r9"}}

	code := a.report(rateErr)

	assert.Equal(t, exitError, code)
	assert.Equal(t, "agentpools: HTTP 429 E0000047: API call exceeded rate limit due to too many requests. (request id r9)\n", stderr.String())
}

func TestOtherErrorIsOneLine(t *testing.T) {
	var stderr bytes.Buffer
	a := &app{stderr: &stderr}

	code := a.report(errors.New("client: GET /api/v1/agentPools: dial tcp\nrefused"))

	assert.Equal(t, exitError, code)
	assert.Equal(t, "agentpools: client: GET /api/v1/agentPools: dial tcp refused\n", stderr.String())
}
