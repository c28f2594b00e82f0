package oktatest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	agentpools "github.com/seed570a29ac/agentpools"
)

func TestEmbeddedSpecLoads(t *testing.T) {
	s, err := embeddedSpec()

	require.NoError(t, err)
	assert.Len(t, s.routes, 14)
	for _, op := range operations {
		route := s.routes[op.id]
		require.NotNil(t, route, op.id)
		assert.Equal(t, op.template, route.Path)
		assert.Equal(t, op.method, route.Method)
		assert.Equal(t, op.hasBody, route.Operation.RequestBody != nil, "%s request body", op.id)
		wantScope := scopeRead
		if op.method != "GET" {
			wantScope = scopeManage
		}
		assert.Equal(t, wantScope, op.scope, op.id)
	}
}

func TestLoadSpecRejectsMismatch(t *testing.T) {
	tests := []struct {
		name string
		edit func(string) string
		want string
	}{
		{"not YAML", func(string) string { return "{{{" }, "parsing the OpenAPI document failed"},
		{"renamed operation", func(doc string) string {
			return strings.Replace(doc, "operationId: stopAgentPoolsUpdate", "operationId: haltAgentPoolsUpdate", 1)
		}, "no operation stopAgentPoolsUpdate"},
		{"moved path", func(doc string) string {
			return strings.Replace(doc, "/api/v1/agentPools/{poolId}/updates/{updateId}/retry:", "/api/v1/agentPools/{poolId}/updates/{updateId}/again:", 1)
		}, "no path /api/v1/agentPools/{poolId}/updates/{updateId}/retry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadSpec([]byte(tt.edit(string(agentpools.OpenAPI))))

			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestLoadSpecRejectsExtraOperation(t *testing.T) {
	extra := strings.Replace(string(agentpools.OpenAPI), "\ncomponents:\n", `
  /api/v1/agentPools/{poolId}:
    get:
      operationId: getAgentPool
      parameters:
        - $ref: '#/components/parameters/poolId'
      responses:
        '200':
          description: OK
components:
`, 1)

	_, err := loadSpec([]byte(extra))

	require.Error(t, err)
	assert.Contains(t, err.Error(), `does not serve operation "getAgentPool"`)
}

func TestValidCron(t *testing.T) {
	tests := map[string]bool{
		"0 8 ? * 6#3":   true,
		"0 8 15 * ?":    true,
		"59 23 31 * ?":  true,
		"0 0 ? * 0#1":   true,
		"30 2 ? * 1#5":  true,
		"0 8 * * 1":     false, // weekly
		"0 8 15 * 1":    false, // both day fields
		"0 8 ? * 7#1":   false, // weekday out of range
		"0 8 ? * 6#6":   false, // no sixth week
		"0 8 ? * 6":     false, // every Saturday
		"0 8 32 * ?":    false,
		"60 8 15 * ?":   false,
		"0 24 15 * ?":   false,
		"0 8 15 1 ?":    false, // one month only
		"0 8 15 * ? *":  false, // six fields
		"*/5 8 15 * ?":  false,
		"+1 8 15 * ?":   false,
		"":              false,
		"every tuesday": false,
	}
	for expr, want := range tests {
		assert.Equal(t, want, validCron(expr), "cron %q", expr)
	}
}

func TestCursorRoundTrip(t *testing.T) {
	s := NewUnstartedServer()

	for _, offset := range []int{0, 2, 5, 1000} {
		got, err := s.decodeCursor(s.encodeCursor(offset))
		require.NoError(t, err)
		assert.Equal(t, offset, got)
	}

	for _, bad := range []string{"", "0oa3eu7ekG8tjbD9J5s6", "bm9wZQ", s.encodeCursor(-1), s.encodeCursor(maxCursorOffset + 1)} {
		_, err := s.decodeCursor(bad)
		assert.Error(t, err, "cursor %q", bad)
	}
}
