package agentpools_test

import (
	"context"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools"
)

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()

	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(agentpools.OpenAPI)
	require.NoError(t, err)
	return doc
}

func TestSpecValidates(t *testing.T) {
	doc := loadSpec(t)

	err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation())
	require.NoError(t, err)
	assert.Equal(t, "3.0.3", doc.OpenAPI)
}

func TestSpecOperationIDs(t *testing.T) {
	doc := loadSpec(t)

	var got []string
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			got = append(got, op.OperationID)
		}
	}
	slices.Sort(got)

	want := []string{
		"activateAgentPoolsUpdate", "createAgentPoolsUpdate", "deactivateAgentPoolsUpdate",
		"deleteAgentPoolsUpdate", "getAgentPoolsUpdateInstance", "getAgentPoolsUpdateSettings",
		"listAgentPools", "listAgentPoolsUpdates", "pauseAgentPoolsUpdate", "resumeAgentPoolsUpdate",
		"retryAgentPoolsUpdate", "stopAgentPoolsUpdate", "updateAgentPoolsUpdate",
		"updateAgentPoolsUpdateSettings",
	}
	assert.Equal(t, want, got)
}

func TestSpecErrorResponses(t *testing.T) {
	doc := loadSpec(t)

	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for _, code := range []string{"400", "401", "403", "429", "default"} {
				assert.NotNil(t, op.Responses.Value(code), "%s %s has no %s response", method, path, code)
			}
			if op.OperationID != "listAgentPools" {
				assert.NotNil(t, op.Responses.Value("404"), "%s %s has no 404 response", method, path)
			}
			assert.NotEmpty(t, op.Security, "%s %s declares no security", method, path)
		}
	}
}

// TestSpecExamplesRejectBadValues proves that example validation is live:
// a document whose example breaks its schema must fail to validate.
func TestSpecExamplesRejectBadValues(t *testing.T) {
	doc := loadSpec(t)

	example := doc.Components.Examples["AgentPoolUpdateSetting"].Value
	example.Value = map[string]any{"agentType": "AD", "continueOnError": "yes"}

	err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation())
	assert.Error(t, err)
}

func TestSpecSecuritySchemes(t *testing.T) {
	doc := loadSpec(t)

	schemes := doc.Components.SecuritySchemes
	require.Contains(t, schemes, "apiToken")
	require.Contains(t, schemes, "oauth2")
	assert.Equal(t, "Authorization", schemes["apiToken"].Value.Name)

	scopes := schemes["oauth2"].Value.Flows.ClientCredentials.Scopes
	assert.Contains(t, scopes, "okta.agentPools.read")
	assert.Contains(t, scopes, "okta.agentPools.manage")
}
