package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decoders are the two ways a model is decoded: the fast path, and
// encoding/json, which calls the UnmarshalJSON methods.
var decoders = map[string]func([]byte, any) error{
	"DecodeJSON":     DecodeJSON,
	"json.Unmarshal": json.Unmarshal,
}

// encoders are the two ways a model is encoded.
var encoders = map[string]func(any) ([]byte, error){
	"EncodeJSON":   EncodeJSON,
	"json.Marshal": json.Marshal,
}

// members returns extra with its values as strings, or nil when it is empty.
func members(extra map[string]json.RawMessage) map[string]string {
	if len(extra) == 0 {
		return nil
	}
	out := make(map[string]string, len(extra))
	for name, value := range extra {
		out[name] = string(value)
	}
	return out
}

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

// unknownAtEveryLevel lists, for each model that Okta returns, an object
// with a member that no model has in every nested object. The members
// follow the order that the encoders write: the fields, then the unknown
// members sorted by name, so that re-encoding gives the same bytes.
var unknownAtEveryLevel = []struct {
	name  string
	model func() any
	in    string
	check func(t *testing.T, v any)
}{
	{
		name:  "pool",
		model: func() any { return new([]AgentPool) },
		in: `[{"_links":{"self":{"hints":{"allow":["GET"],"hintsNew":{"a":[1,"]"]}},"href":"https://example.okta.com/api/v1/agentPools/0oa1","selfNew":true},"linksNew":{"href":"x"}},` +
			`"agents":[{"_links":{"self":{"href":"h","selfNew":2}},"id":"a1","lastConnection":1733313600000,"agentNew":[1,2],"zeta":null}],` +
			`"id":"0oa1","name":"dc","type":"AD","poolNew":"caf\u00e9"}]`,
		check: func(t *testing.T, v any) {
			pools := *v.(*[]AgentPool)
			require.Len(t, pools, 1)
			pool := pools[0]
			assert.Equal(t, map[string]string{"poolNew": `"caf\u00e9"`}, members(pool.AdditionalProperties))
			assert.Equal(t, map[string]string{"linksNew": `{"href":"x"}`}, members(pool.Links.AdditionalProperties))
			assert.Equal(t, map[string]string{"selfNew": "true"}, members(pool.Links.Self.AdditionalProperties))
			assert.Equal(t, map[string]string{"hintsNew": `{"a":[1,"]"]}`}, members(pool.Links.Self.Hints.AdditionalProperties))
			assert.Equal(t, []string{"GET"}, *pool.Links.Self.Hints.Allow)

			require.Len(t, *pool.Agents, 1)
			agent := (*pool.Agents)[0]
			assert.Equal(t, map[string]string{"agentNew": "[1,2]", "zeta": "null"}, members(agent.AdditionalProperties))
			assert.Nil(t, agent.Links.AdditionalProperties)
			assert.Equal(t, map[string]string{"selfNew": "2"}, members(agent.Links.Self.AdditionalProperties))
			assert.Equal(t, int64(1733313600000), agent.LastConnection.Time.UnixMilli())
		},
	},
	{
		name:  "update",
		model: func() any { return new(AgentPoolUpdate) },
		in: `{"agents":[{"id":"a1","agentNew":1}],"id":"u1",` +
			`"schedule":{"cron":"0 8 ? * 6#3","lastUpdated":"2024-12-04T12:00:00.000Z","timezone":"UTC","scheduleNew":"weekly"},` +
			`"status":"Scheduled","updateNew":{"x":[]}}`,
		check: func(t *testing.T, v any) {
			update := v.(*AgentPoolUpdate)
			assert.Equal(t, map[string]string{"updateNew": `{"x":[]}`}, members(update.AdditionalProperties))
			assert.Equal(t, map[string]string{"scheduleNew": `"weekly"`}, members(update.Schedule.AdditionalProperties))
			assert.Equal(t, map[string]string{"agentNew": "1"}, members((*update.Agents)[0].AdditionalProperties))
			assert.Equal(t, "2024-12-04T12:00:00Z", update.Schedule.LastUpdated.String())
		},
	},
	{
		name:  "settings",
		model: func() any { return new(AgentPoolUpdateSetting) },
		in:    `{"agentType":"AD","continueOnError":true,"poolId":"0oa1","releaseChannel":"GA","settingNew":1.5e3}`,
		check: func(t *testing.T, v any) {
			settings := v.(*AgentPoolUpdateSetting)
			assert.Equal(t, AD, settings.AgentType)
			assert.Equal(t, map[string]string{"settingNew": "1.5e3"}, members(settings.AdditionalProperties))
		},
	},
	{
		name:  "settings request",
		model: func() any { return new(AgentPoolUpdateSettingRequest) },
		in:    `{"agentType":"FUTURE","requestNew":false}`,
		check: func(t *testing.T, v any) {
			request := v.(*AgentPoolUpdateSettingRequest)
			assert.Equal(t, AgentType("FUTURE"), request.AgentType)
			assert.Equal(t, map[string]string{"requestNew": "false"}, members(request.AdditionalProperties))
		},
	},
	{
		name:  "error",
		model: func() any { return new(Error) },
		in:    `{"errorCauses":[{"errorSummary":"name: must not be blank","causeNew":"x"},{"errorSummary":"y"}],"errorCode":"E0000001","errorSummary":"Api validation failed","errorNew":7}`,
		check: func(t *testing.T, v any) {
			apiErr := v.(*Error)
			assert.Equal(t, map[string]string{"errorNew": "7"}, members(apiErr.AdditionalProperties))
			require.Len(t, *apiErr.ErrorCauses, 2)
			assert.Equal(t, map[string]string{"causeNew": `"x"`}, members((*apiErr.ErrorCauses)[0].AdditionalProperties))
			assert.Nil(t, (*apiErr.ErrorCauses)[1].AdditionalProperties)
		},
	},
}

func TestUnknownMembersAtEveryLevel(t *testing.T) {
	for _, tt := range unknownAtEveryLevel {
		for decoderName, decode := range decoders {
			for encoderName, encode := range encoders {
				t.Run(tt.name+"/"+decoderName+"/"+encoderName, func(t *testing.T) {
					v := tt.model()
					require.NoError(t, decode([]byte(tt.in), v))
					tt.check(t, v)

					out, err := encode(v)
					require.NoError(t, err)
					assert.Equal(t, tt.in, string(out))
				})
			}
		}
	}
}

func TestUnknownMembersNamesAndValues(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     map[string]string
		wantName string
	}{
		{name: "other casing is a field", in: `{"NAME":"x"}`, wantName: "x"},
		{name: "escaped field name", in: `{"n\u0061me":"x"}`, wantName: "x"},
		{name: "field in two casings", in: `{"name":"a","NAME":"b"}`, wantName: "b"},
		{name: "underscore is not ignored", in: `{"links":1}`, want: map[string]string{"links": "1"}},
		{name: "Go name of the members", in: `{"AdditionalProperties":{}}`, want: map[string]string{"AdditionalProperties": "{}"}},
		{name: "escaped unknown name", in: `{"caf\u00e9":1}`, want: map[string]string{"café": "1"}},
		{name: "repeated unknown name", in: `{"x":1,"x":2}`, want: map[string]string{"x": "2"}},
		{name: "spaces around tokens", in: " {\n \"x\" : [ 1 , 2 ] ,\t\"y\":null } ", want: map[string]string{"x": "[ 1 , 2 ]", "y": "null"}},
		{name: "string with brackets", in: `{"x":"]}\"{["}`, want: map[string]string{"x": `"]}\"{["`}},
		{name: "numbers and literals", in: `{"a":-1.5e3,"b":false,"c":12345678901234567890}`, want: map[string]string{"a": "-1.5e3", "b": "false", "c": "12345678901234567890"}},
		{name: "empty object", in: `{}`},
		{name: "null", in: `null`},
	}
	for _, tt := range tests {
		for decoderName, decode := range decoders {
			t.Run(tt.name+"/"+decoderName, func(t *testing.T) {
				var pool AgentPool
				require.NoError(t, decode([]byte(tt.in), &pool))

				assert.Equal(t, tt.want, members(pool.AdditionalProperties))
				if tt.wantName == "" {
					assert.Nil(t, pool.Name)
				} else {
					require.NotNil(t, pool.Name)
					assert.Equal(t, tt.wantName, *pool.Name)
				}
			})
		}
	}
}

func TestDecodeJSONReplacesUnknownMembers(t *testing.T) {
	pool := AgentPool{}
	pool.Set("old", json.RawMessage(`1`))

	require.NoError(t, DecodeJSON([]byte(`{"new":2}`), &pool))
	assert.Equal(t, map[string]string{"new": "2"}, members(pool.AdditionalProperties))

	require.NoError(t, DecodeJSON([]byte(`{"id":"0oa1"}`), &pool))
	assert.Nil(t, pool.AdditionalProperties)
}

func TestEncodeRejectsFieldName(t *testing.T) {
	for encoderName, encode := range encoders {
		t.Run(encoderName, func(t *testing.T) {
			var pool AgentPool
			pool.Set("Name", json.RawMessage(`"x"`))

			_, err := encode(pool)
			require.Error(t, err)
			assert.Contains(t, err.Error(), `api: AgentPool member "Name" duplicates a field`)
		})
	}
}

func TestEncodeRejectsFieldNameNested(t *testing.T) {
	var self HrefObject
	self.Set("HREF", json.RawMessage(`"x"`))
	pools := []AgentPool{{Links: &Links{Self: &self}}}

	_, err := EncodeJSON(&pools)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `api: HrefObject member "HREF" duplicates a field`)
}

func TestEncodeRejectsInvalidJSON(t *testing.T) {
	for encoderName, encode := range encoders {
		t.Run(encoderName, func(t *testing.T) {
			var pool AgentPool
			pool.Set("extra", json.RawMessage(`{broken`))

			_, err := encode(pool)
			require.Error(t, err)
			assert.Contains(t, err.Error(), `api: AgentPool member "extra" is not valid JSON`)
		})
	}
}

func TestEncodeSortsMembersAfterFields(t *testing.T) {
	for encoderName, encode := range encoders {
		t.Run(encoderName, func(t *testing.T) {
			var pool AgentPool
			name := "dc"
			pool.Name = &name
			pool.Set("zeta", json.RawMessage(`1`))
			pool.Set("alpha", json.RawMessage(`2`))

			out, err := encode(pool)
			require.NoError(t, err)
			assert.Equal(t, `{"name":"dc","alpha":2,"zeta":1}`, string(out))

			var empty AgentPool
			empty.Set("only", json.RawMessage(`true`))
			out, err = encode(empty)
			require.NoError(t, err)
			assert.Equal(t, `{"only":true}`, string(out))
		})
	}
}

// htmlCompact returns b as json.Marshal writes the JSON that a MarshalJSON
// method returns: without white space and with <, > and & escaped.
func htmlCompact(t *testing.T, b []byte) string {
	var compact, escaped bytes.Buffer
	if err := json.Compact(&compact, b); err != nil {
		t.Fatalf("compacting %q: %v", b, err)
	}
	json.HTMLEscape(&escaped, compact.Bytes())
	return escaped.String()
}

func FuzzUnknownMembers(f *testing.F) {
	for _, seed := range []string{
		`{"id":"1","x":{"y":[1,"]"]}}`,
		`{"a\"b":1, "name" : "n"}`,
		`{"NAME":"a","name":"b","Name":"c","x":1,"X":2}`,
		`{"_links":{"self":{"href":"h","hints":{"allow":["GET"],"x":1},"y":2},"z":3},"agents":[{"lastConnection":"x","q":[]}]}`,
		`{"agents":[{"lastConnection":1733313600000}],"disruptedAgents":1.0}`,
		"{\"\xff\":\"<\u2028>\"}",
		`[]`, `null`, `{}`, `"s"`,
	} {
		f.Add(seed)
	}
	referenceType := referenceType(reflect.TypeFor[AgentPool]())

	f.Fuzz(func(t *testing.T, in string) {
		var pool AgentPool
		err := DecodeJSON([]byte(in), &pool)
		reference := reflect.New(referenceType)
		refErr := json.Unmarshal([]byte(in), reference.Interface())
		if (err == nil) != (refErr == nil) {
			t.Fatalf("DecodeJSON(%q) returned %v, encoding/json %v", in, err, refErr)
		}
		if err != nil {
			return
		}

		// The fields hold what encoding/json decodes into them, and every
		// other member is kept as sent.
		for i := range referenceType.NumField() {
			name := referenceType.Field(i).Name
			want, got := reference.Elem().Field(i).Interface(), reflect.ValueOf(pool).FieldByName(name).Interface()
			if !reflect.DeepEqual(want, got) {
				t.Fatalf("DecodeJSON(%q) set %s to %#v, encoding/json to %#v", in, name, got, want)
			}
		}
		var sent map[string]json.RawMessage
		_ = json.Unmarshal([]byte(in), &sent)
		var want map[string]string
		for name, value := range sent {
			if !slices.ContainsFunc(agentPoolMembers, func(k string) bool { return strings.EqualFold(k, name) }) {
				if want == nil {
					want = map[string]string{}
				}
				want[name] = string(value)
			}
		}
		if got := members(pool.AdditionalProperties); !reflect.DeepEqual(want, got) {
			t.Fatalf("DecodeJSON(%q) kept the members %q, want %q", in, got, want)
		}

		// Both encoders write the same JSON, which decodes to the same.
		out, err := EncodeJSON(&pool)
		if err != nil {
			t.Fatalf("re-encoding %q: %v", in, err)
		}
		marshalled, err := json.Marshal(pool)
		if err != nil {
			t.Fatalf("re-encoding %q with json.Marshal: %v", in, err)
		}
		if htmlCompact(t, out) != string(marshalled) {
			t.Fatalf("EncodeJSON and json.Marshal encoded %q differently:\n%s\n%s", in, out, marshalled)
		}

		var again AgentPool
		if err := DecodeJSON(out, &again); err != nil {
			t.Fatalf("decoding re-encoded %q: %v", out, err)
		}
		outAgain, err := EncodeJSON(&again)
		if err != nil {
			t.Fatalf("encoding %q a second time: %v", out, err)
		}
		if string(out) != string(outAgain) {
			t.Fatalf("a second round trip changed %q to %q", out, outAgain)
		}
	})
}
