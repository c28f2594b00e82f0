package api

import (
	"encoding/json"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// generatedEnumValues returns the values of the constants of each named
// type in api.gen.go, in the order they appear there.
func generatedEnumValues(t *testing.T) map[string][]string {
	t.Helper()

	file, err := parser.ParseFile(token.NewFileSet(), "api.gen.go", nil, 0)
	require.NoError(t, err)

	values := make(map[string][]string)
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST {
			continue
		}
		for _, spec := range gen.Specs {
			vs := spec.(*ast.ValueSpec)
			typ, ok := vs.Type.(*ast.Ident)
			if !ok || len(vs.Values) != 1 {
				continue
			}
			lit, ok := vs.Values[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				continue
			}
			value, err := strconv.Unquote(lit.Value)
			require.NoError(t, err)
			values[typ.Name] = append(values[typ.Name], value)
		}
	}
	return values
}

func stringsOf[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

func TestEnumListsMatchGeneratedConstants(t *testing.T) {
	generated := generatedEnumValues(t)

	assert.Equal(t, generated["AgentType"], stringsOf(AgentTypes()))
	assert.Equal(t, generated["ReleaseChannel"], stringsOf(ReleaseChannels()))
	assert.Equal(t, generated["OperationalStatus"], stringsOf(OperationalStatuses()))
	assert.Equal(t, generated["AgentUpdateJobStatus"], stringsOf(AgentUpdateJobStatuses()))
	assert.Equal(t, generated["AgentUpdateInstanceStatus"], stringsOf(AgentUpdateInstanceStatuses()))
}

func TestEnumListsReturnCopies(t *testing.T) {
	types := AgentTypes()
	types[0] = "changed"
	assert.Equal(t, AD, AgentTypes()[0])

	channels := ReleaseChannels()
	channels[0] = "changed"
	assert.Equal(t, BETA, ReleaseChannels()[0])

	operational := OperationalStatuses()
	operational[0] = "changed"
	assert.Equal(t, DEGRADED, OperationalStatuses()[0])

	jobs := AgentUpdateJobStatuses()
	jobs[0] = "changed"
	assert.Equal(t, AgentUpdateJobStatusCancelled, AgentUpdateJobStatuses()[0])

	instances := AgentUpdateInstanceStatuses()
	instances[0] = "changed"
	assert.Equal(t, AgentUpdateInstanceStatusCancelled, AgentUpdateInstanceStatuses()[0])
}

func TestParseAgentType(t *testing.T) {
	tests := []struct {
		in   string
		want AgentType
	}{
		{"AD", AD},
		{"ad", AD},
		{" Ad\t", AD},
		{"iwa", IWA},
		{"LDAP", LDAP},
		{"mfa", MFA},
		{"opp", OPP},
		{"rum", RUM},
		{"radius", Radius},
		{"RADIUS", Radius},
		{"\n Radius \n", Radius},
	}
	for _, tt := range tests {
		got, err := ParseAgentType(tt.in)
		require.NoError(t, err, "input %q", tt.in)
		assert.Equal(t, tt.want, got, "input %q", tt.in)
		assert.True(t, got.Valid(), "input %q", tt.in)
	}
}

func TestParseAgentTypeInvalid(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string
	}{
		{"foo", `api: invalid agent type "foo": want one of AD, IWA, LDAP, MFA, OPP, RUM, Radius`},
		{"", `api: invalid agent type "": want one of AD, IWA, LDAP, MFA, OPP, RUM, Radius`},
		{"A D", `api: invalid agent type "A D": want one of AD, IWA, LDAP, MFA, OPP, RUM, Radius`},
		{"NewType", `api: invalid agent type "NewType": want one of AD, IWA, LDAP, MFA, OPP, RUM, Radius`},
	}
	for _, tt := range tests {
		got, err := ParseAgentType(tt.in)
		require.EqualError(t, err, tt.wantErr)
		assert.Empty(t, got)
	}
}

// checkParse checks that parse reads every known value in its own, lower
// and upper case and with surrounding spaces, and rejects unknown values
// with an error that names the kind and lists the known values.
func checkParse[T ~string](t *testing.T, parse func(string) (T, error), known []T, kind string) {
	t.Helper()

	for _, v := range known {
		s := string(v)
		for _, in := range []string{s, strings.ToLower(s), strings.ToUpper(s), "  " + s + "\n"} {
			got, err := parse(in)
			require.NoError(t, err, "input %q", in)
			assert.Equal(t, v, got, "input %q", in)
		}
	}

	wantList := strings.Join(stringsOf(known), ", ")
	for _, in := range []string{"", "unknown", string(known[0]) + "x"} {
		got, err := parse(in)
		require.Error(t, err, "input %q", in)
		assert.Empty(t, got)
		assert.Equal(t, "api: invalid "+kind+" "+strconv.Quote(in)+": want one of "+wantList, err.Error())
	}
}

func TestParseEnums(t *testing.T) {
	t.Run("AgentType", func(t *testing.T) {
		checkParse(t, ParseAgentType, agentTypes, "agent type")
	})
	t.Run("ReleaseChannel", func(t *testing.T) {
		checkParse(t, ParseReleaseChannel, releaseChannels, "release channel")
	})
	t.Run("OperationalStatus", func(t *testing.T) {
		checkParse(t, ParseOperationalStatus, operationalStatuses, "operational status")
	})
	t.Run("AgentUpdateJobStatus", func(t *testing.T) {
		checkParse(t, ParseAgentUpdateJobStatus, agentUpdateJobStatuses, "update job status")
	})
	t.Run("AgentUpdateInstanceStatus", func(t *testing.T) {
		checkParse(t, ParseAgentUpdateInstanceStatus, agentUpdateInstanceStatuses, "update instance status")
	})
}

func TestParseEnumsCanonicalSpelling(t *testing.T) {
	channel, err := ParseReleaseChannel("ga")
	require.NoError(t, err)
	assert.Equal(t, GA, channel)

	operational, err := ParseOperationalStatus("Degraded")
	require.NoError(t, err)
	assert.Equal(t, DEGRADED, operational)

	job, err := ParseAgentUpdateJobStatus("INPROGRESS")
	require.NoError(t, err)
	assert.Equal(t, AgentUpdateJobStatusInProgress, job)

	instance, err := ParseAgentUpdateInstanceStatus("pendingcompletion")
	require.NoError(t, err)
	assert.Equal(t, AgentUpdateInstanceStatusPendingCompletion, instance)
}

func TestEnumValidUnknown(t *testing.T) {
	assert.False(t, AgentType("ad").Valid())
	assert.False(t, AgentType("NewType").Valid())
	assert.False(t, ReleaseChannel("ga").Valid())
	assert.False(t, OperationalStatus("").Valid())
	assert.False(t, AgentUpdateJobStatus("Running").Valid())
	assert.False(t, AgentUpdateInstanceStatus("success").Valid())
}

func TestEnumUnmarshalTextKeepsValue(t *testing.T) {
	for _, in := range []string{"AD", "ad", "NewType", " Radius ", ""} {
		var typ AgentType
		require.NoError(t, typ.UnmarshalText([]byte(in)))
		assert.Equal(t, AgentType(in), typ)

		out, err := typ.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, in, string(out))
	}

	var channel ReleaseChannel
	require.NoError(t, channel.UnmarshalText([]byte("nightly")))
	assert.Equal(t, ReleaseChannel("nightly"), channel)

	var operational OperationalStatus
	require.NoError(t, operational.UnmarshalText([]byte("operational")))
	assert.Equal(t, OperationalStatus("operational"), operational)

	var job AgentUpdateJobStatus
	require.NoError(t, job.UnmarshalText([]byte("Queued")))
	assert.Equal(t, AgentUpdateJobStatus("Queued"), job)

	var instance AgentUpdateInstanceStatus
	require.NoError(t, instance.UnmarshalText([]byte("SUCCESS")))
	assert.Equal(t, AgentUpdateInstanceStatus("SUCCESS"), instance)
}

func TestEnumJSONRoundTripAgent(t *testing.T) {
	// The members are in the order of Agent's fields, so that encoding
	// gives the same bytes.
	in := `{"operationalStatus":"Degraded","type":"ad","updateStatus":"NewStatus"}`

	var agent Agent
	require.NoError(t, json.Unmarshal([]byte(in), &agent))
	require.NotNil(t, agent.Type)
	assert.Equal(t, AgentType("ad"), *agent.Type)
	assert.False(t, agent.Type.Valid())
	require.NotNil(t, agent.OperationalStatus)
	assert.Equal(t, OperationalStatus("Degraded"), *agent.OperationalStatus)
	require.NotNil(t, agent.UpdateStatus)
	assert.Equal(t, AgentUpdateInstanceStatus("NewStatus"), *agent.UpdateStatus)

	out, err := json.Marshal(agent)
	require.NoError(t, err)
	assert.Equal(t, in, string(out))
}

func TestEnumJSONRoundTripUpdate(t *testing.T) {
	in := `{"agentType":"NewType","status":"inprogress"}`

	var update AgentPoolUpdate
	require.NoError(t, json.Unmarshal([]byte(in), &update))
	assert.Equal(t, AgentType("NewType"), *update.AgentType)
	assert.Equal(t, AgentUpdateJobStatus("inprogress"), update.StatusValue())
	assert.False(t, update.StatusValue().IsRunning())

	out, err := json.Marshal(update)
	require.NoError(t, err)
	assert.Equal(t, in, string(out))
}

func TestEnumJSONRoundTripSetting(t *testing.T) {
	in := `{"agentType":"RUM","releaseChannel":"nightly"}`

	var setting AgentPoolUpdateSetting
	require.NoError(t, json.Unmarshal([]byte(in), &setting))
	assert.Equal(t, RUM, setting.AgentType)
	assert.Equal(t, ReleaseChannel("nightly"), *setting.ReleaseChannel)

	out, err := json.Marshal(setting)
	require.NoError(t, err)
	assert.Equal(t, in, string(out))
}

func TestEnumJSONValues(t *testing.T) {
	for _, in := range []string{`"AD"`, `"ad"`, `"NewType"`, `""`, `"a\"b"`} {
		var typ AgentType
		require.NoError(t, json.Unmarshal([]byte(in), &typ), "input %s", in)

		out, err := json.Marshal(typ)
		require.NoError(t, err)
		assert.Equal(t, in, string(out))
	}
}

func TestEnumJSONRejectsNonString(t *testing.T) {
	for _, in := range []string{`1`, `true`, `{}`, `["AD"]`} {
		var typ AgentType
		assert.Error(t, json.Unmarshal([]byte(in), &typ), "input %s", in)
	}
}

func TestEnumJSONNullLeavesValue(t *testing.T) {
	typ := AD
	require.NoError(t, json.Unmarshal([]byte(`null`), &typ))
	assert.Equal(t, AD, typ)

	var ptr *AgentType
	require.NoError(t, json.Unmarshal([]byte(`null`), &ptr))
	assert.Nil(t, ptr)
}

func TestEnumJSONMapKeys(t *testing.T) {
	in := `{"AD":1,"NewType":2,"radius":3}`

	var counts map[AgentType]int
	require.NoError(t, json.Unmarshal([]byte(in), &counts))
	assert.Equal(t, map[AgentType]int{AD: 1, "NewType": 2, "radius": 3}, counts)

	out, err := json.Marshal(counts)
	require.NoError(t, err)
	assert.Equal(t, in, string(out))
}

func TestEnumFlagSetValidates(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	typ := AD
	channel := GA
	fs.Var(&typ, "type", "agent type")
	fs.Var(&channel, "channel", "release channel")

	require.NoError(t, fs.Parse([]string{"-type", " radius ", "-channel=beta"}))
	assert.Equal(t, Radius, typ)
	assert.Equal(t, BETA, channel)
}

func TestEnumFlagSetRejectsUnknown(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	typ := AD
	fs.Var(&typ, "type", "agent type")

	err := fs.Parse([]string{"-type", "foo"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `api: invalid agent type "foo": want one of AD, IWA, LDAP, MFA, OPP, RUM, Radius`)
	assert.Equal(t, AD, typ)
}

func TestEnumSetEveryType(t *testing.T) {
	var operational OperationalStatus
	require.NoError(t, operational.Set("inactive"))
	assert.Equal(t, INACTIVE, operational)
	assert.Error(t, operational.Set("down"))
	assert.Equal(t, INACTIVE, operational)

	var job AgentUpdateJobStatus
	require.NoError(t, job.Set("paused"))
	assert.Equal(t, AgentUpdateJobStatusPaused, job)
	assert.Error(t, job.Set("Running"))
	assert.Equal(t, AgentUpdateJobStatusPaused, job)

	var instance AgentUpdateInstanceStatus
	require.NoError(t, instance.Set("Scheduled"))
	assert.Equal(t, AgentUpdateInstanceStatusScheduled, instance)
	assert.Error(t, instance.Set("Paused"))
	assert.Equal(t, AgentUpdateInstanceStatusScheduled, instance)

	var channel ReleaseChannel
	assert.Error(t, channel.Set("nightly"))
	assert.Empty(t, channel)
}

// TestEnumTextVarKeepsUnknown pins the documented difference from Set:
// flag.TextVar goes through UnmarshalText, which accepts any value.
func TestEnumTextVarKeepsUnknown(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var typ AgentType
	fs.TextVar(&typ, "type", AD, "agent type")

	require.NoError(t, fs.Parse([]string{"-type", "NewType"}))
	assert.Equal(t, AgentType("NewType"), typ)
}

func TestEnumString(t *testing.T) {
	assert.Equal(t, "Radius", Radius.String())
	assert.Equal(t, "NewType", AgentType("NewType").String())
	assert.Equal(t, "EA", EA.String())
	assert.Equal(t, "OPERATIONAL", OPERATIONAL.String())
	assert.Equal(t, "Success", AgentUpdateJobStatusSuccess.String())
	assert.Equal(t, "PendingCompletion", AgentUpdateInstanceStatusPendingCompletion.String())
}

func TestEnumQueryParameterKeepsValue(t *testing.T) {
	for _, typ := range []AgentType{Radius, "NewType"} {
		req, err := NewListAgentPoolsRequest("http://127.0.0.1", &ListAgentPoolsParams{PoolType: &typ})
		require.NoError(t, err)
		assert.Equal(t, string(typ), req.URL.Query().Get("poolType"))
	}
}
