package api

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSettingRequestKeepsMembers(t *testing.T) {
	in := `{"agentType":"AD","continueOnError":true,"latestVersion":"3.20.0","minimalSupportedVersion":"3.19.0","poolId":"0oa1","poolName":"dc","releaseChannel":"GA","futureSetting":{"x":1}}`
	var s AgentPoolUpdateSetting
	require.NoError(t, json.Unmarshal([]byte(in), &s))

	req := s.Request()
	out, err := json.Marshal(req)
	require.NoError(t, err)
	assert.JSONEq(t, `{"agentType":"AD","continueOnError":true,"latestVersion":"3.20.0","minimalSupportedVersion":"3.19.0","poolName":"dc","releaseChannel":"GA","futureSetting":{"x":1}}`, string(out))

	req.AdditionalProperties["futureSetting"] = json.RawMessage(`2`)
	assert.JSONEq(t, `{"x":1}`, string(s.AdditionalProperties["futureSetting"]), "the request has its own map")
}
