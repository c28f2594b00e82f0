package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
)

func TestDecodeBodyKeepsUnknownMembers(t *testing.T) {
	body := `{"name": "Third Saturday", "agentType": "AD", "rolloutWave": {"size": 3},
	 "schedule": {"cron": "0 8 ? * 6#3", "timezone": "America/New_York", "window": "night"}}`

	var update api.AgentPoolUpdate
	require.NoError(t, decodeBody([]byte(body), &update))

	require.NotNil(t, update.Name)
	assert.Equal(t, "Third Saturday", *update.Name)
	assert.JSONEq(t, `{"size": 3}`, string(update.AdditionalProperties["rolloutWave"]))
	require.NotNil(t, update.Schedule)
	assert.JSONEq(t, `"night"`, string(update.Schedule.AdditionalProperties["window"]))
	encoded, err := json.Marshal(update)
	require.NoError(t, err)
	assert.JSONEq(t, body, string(encoded))
}

func TestDecodeBodyErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"syntax error", "{\n  \"name\": \"x\",\n  \"enabled\": tru\n}", ":3:17: invalid JSON: invalid character"},
		{"trailing comma", "{\"name\": \"x\",}", ":1:14: invalid JSON: invalid character '}'"},
		{"truncated", "{\"name\": ", "invalid JSON: unexpected end of JSON input"},
		{"empty", " \n", ": the body is empty"},
		{"array", "\n [1]", ":2:2: the body must be a JSON object, not an array"},
		{"null", "null", ":1:1: the body must be a JSON object, not null"},
		{"wrong type", "{\n  \"enabled\": \"yes\"\n}", `:2:14: invalid value of member "/enabled": got a JSON string, expected a boolean`},
		{"wrong nested type", "{\"name\": \"x\",\n \"schedule\": {\"delay\": \"3\"}}", `:2:24: invalid value of member "/schedule/delay": got a JSON string, expected an integer`},
		{"wrong type in array", "{\"agents\": [{\"name\": \"a\"}, {\"isHidden\": 1}]}", `:1:41: invalid value of member "/agents/1/isHidden": got a JSON number, expected a boolean`},
		{"wrong type after space", "\n\n  {\"schedule\": 5}", `:3:16: invalid value of member "/schedule": got a JSON number, expected an object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var update api.AgentPoolUpdate
			err := decodeBody([]byte(tt.body), &update)

			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestPosition(t *testing.T) {
	data := []byte("ab\ncd\n\nef")
	tests := []struct {
		offset       int
		line, column int
	}{
		{0, 1, 1},
		{1, 1, 2},
		{3, 2, 1},
		{4, 2, 2},
		{7, 4, 1},
		{100, 4, 3},
		{-5, 1, 1},
	}
	for _, tt := range tests {
		line, column := position(data, tt.offset)
		assert.Equal(t, tt.line, line, "line of offset %d", tt.offset)
		assert.Equal(t, tt.column, column, "column of offset %d", tt.offset)
	}
}

func TestInvalidBodyFileExitsTwo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "update.json")
	require.NoError(t, os.WriteFile(path, []byte("{\n  \"name\": \"x\"\n  \"enabled\": true\n}\n"), 0o600))
	env := map[string]string{envOrgURL: "http://127.0.0.1:1", envToken: "00secret"}

	res := runCLI(t, env, "", "updates", "create", "P", "--body", path)

	assert.Equal(t, exitUsage, res.code)
	assert.Empty(t, res.stdout)
	assert.Contains(t, res.stderr, "agentpools: --body: "+path+":3:3: invalid JSON: invalid character '\"' after object key:value pair")
}

func TestInvalidBodyFromStdinExitsTwo(t *testing.T) {
	env := map[string]string{envOrgURL: "http://127.0.0.1:1", envToken: "00secret"}

	res := runCLI(t, env, `{"agentType": "AD", "releaseChannel": }`, "settings", "update", "P", "--body", "-")

	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "agentpools: --body: <stdin>:1:39: invalid JSON")
}

func TestSettingsBodyNeedsAgentType(t *testing.T) {
	env := map[string]string{envOrgURL: "http://127.0.0.1:1", envToken: "00secret"}

	res := runCLI(t, env, `{"releaseChannel": "EA"}`, "settings", "update", "P", "--body", "-")

	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "agentpools: --body: missing member agentType")
}
