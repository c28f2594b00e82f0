package api

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAgentPoolKeepsUnknownMembers(t *testing.T) {
	in := `{"id":"0oa1","name":"dc","type":"AD","futureField":{"a":[1,2,{"b":"}"}]},"count":12345678901234567890,"agents":[{"id":"a1","newFlag":true,"lastConnection":1733313600000}]}`

	var pool AgentPool
	require.NoError(t, json.Unmarshal([]byte(in), &pool))

	assert.Equal(t, "0oa1", *pool.Id)
	assert.JSONEq(t, `{"a":[1,2,{"b":"}"}]}`, string(pool.AdditionalProperties["futureField"]))
	assert.Equal(t, "12345678901234567890", string(pool.AdditionalProperties["count"]))
	require.Len(t, *pool.Agents, 1)
	assert.Equal(t, "true", string((*pool.Agents)[0].AdditionalProperties["newFlag"]))

	out, err := json.Marshal(pool)
	require.NoError(t, err)
	assert.JSONEq(t, in, string(out))
}

func TestUnknownMembersNoneAllocatesNothing(t *testing.T) {
	b := []byte(`{"id":"0oa1","name":"dc","type":"AD","agents":[]}`)
	var extra map[string]json.RawMessage

	allocs := testing.AllocsPerRun(100, func() {
		_ = unknownMembers(b, agentPoolMembers, &extra)
	})
	assert.Zero(t, allocs)
	assert.Nil(t, extra)
}

func TestUnknownMembersCaseAndEscapes(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]string
	}{
		{name: "other casing is a field", in: `{"NAME":"x"}`, want: nil},
		{name: "escaped field name", in: `{"n\u0061me":"x"}`, want: nil},
		{name: "escaped unknown name", in: `{"caf\u00e9":1}`, want: map[string]string{"café": "1"}},
		{name: "spaces around tokens", in: " {\n \"x\" : [ 1 , 2 ] ,\t\"y\":null } ", want: map[string]string{"x": "[ 1 , 2 ]", "y": "null"}},
		{name: "string with brackets", in: `{"x":"]}\"{["}`, want: map[string]string{"x": `"]}\"{["`}},
		{name: "numbers and literals", in: `{"a":-1.5e3,"b":false}`, want: map[string]string{"a": "-1.5e3", "b": "false"}},
		{name: "empty object", in: `{}`, want: nil},
		{name: "null", in: `null`, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var extra map[string]json.RawMessage
			require.NoError(t, unknownMembers([]byte(tt.in), agentPoolMembers, &extra))

			var got map[string]string
			for k, v := range extra {
				if got == nil {
					got = map[string]string{}
				}
				got[k] = string(v)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestAppendMembersRejectsFieldName(t *testing.T) {
	var pool AgentPool
	pool.Set("Name", json.RawMessage(`"x"`))

	_, err := json.Marshal(pool)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `member "Name" duplicates a field`)
}

func TestAppendMembersRejectsInvalidJSON(t *testing.T) {
	var pool AgentPool
	pool.Set("extra", json.RawMessage(`{broken`))

	_, err := json.Marshal(pool)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `member "extra" is not valid JSON`)
}

func TestAppendMembersSortedAfterFields(t *testing.T) {
	var pool AgentPool
	name := "dc"
	pool.Name = &name
	pool.Set("zeta", json.RawMessage(`1`))
	pool.Set("alpha", json.RawMessage(`2`))

	out, err := json.Marshal(pool)
	require.NoError(t, err)
	assert.Equal(t, `{"name":"dc","alpha":2,"zeta":1}`, string(out))

	var empty AgentPool
	empty.Set("only", json.RawMessage(`true`))
	out, err = json.Marshal(empty)
	require.NoError(t, err)
	assert.Equal(t, `{"only":true}`, string(out))
}

func FuzzUnknownMembers(f *testing.F) {
	for _, seed := range []string{
		`{"id":"1","x":{"y":[1,"]"]}}`,
		`{"a\"b":1, "name" : "n"}`,
		`[]`, `null`, `{}`, `"s"`,
	} {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, in string) {
		var pool AgentPool
		if err := json.Unmarshal([]byte(in), &pool); err != nil {
			return
		}

		out, err := json.Marshal(pool)
		if err != nil {
			t.Fatalf("re-encoding %q: %v", in, err)
		}
		var again AgentPool
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("decoding re-encoded %q: %v", out, err)
		}
		for k, v := range pool.AdditionalProperties {
			if !json.Valid(v) {
				t.Fatalf("member %q kept invalid JSON %q", k, v)
			}
		}
	})
}
