package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The reference tests below compare the generated encoders, and the
// decoding through the JSON types, with encoding/json itself. For each
// model, reflection builds a struct type with the fields and tags of the
// model and no methods, which encoding/json encodes and decodes from its
// tags alone.

// referenceType returns the struct type with the fields and tags of the
// model t, less AdditionalProperties, and no methods.
func referenceType(t reflect.Type) reflect.Type {
	var fields []reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Name != "AdditionalProperties" {
			fields = append(fields, reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag})
		}
	}
	return reflect.StructOf(fields)
}

// copyFields copies the fields of src to the fields of the same name in
// dst. Both must be addressable structs.
func copyFields(dst, src reflect.Value) {
	for i := range dst.NumField() {
		name := dst.Type().Field(i).Name
		if from := src.FieldByName(name); from.IsValid() {
			dst.Field(i).Set(from)
		}
	}
}

// fillMode is how fill sets a value.
type fillMode int

const (
	fillFull  fillMode = iota // every field set, to values that need escaping
	fillEmpty                 // every pointer set, to the zero value
)

// fill sets every exported field of the model v, an addressable value, as
// mode specifies, and leaves AdditionalProperties empty.
func fill(v reflect.Value, mode fillMode) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		if mode == fillFull {
			fill(v.Elem(), mode)
		}
	case reflect.String:
		v.SetString("x<&>\u2028\"é\x01")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int32, reflect.Int64, reflect.Int:
		v.SetInt(-42)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), mode)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[Timestamp]() {
			ts := NewTimestampMillis(time.Date(2024, 12, 4, 12, 0, 0, 0, time.UTC))
			v.Set(reflect.ValueOf(ts))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && v.Type().Field(i).Name != "AdditionalProperties" {
				fill(v.Field(i), mode)
			}
		}
	}
}

func TestModelCodecsCoverModels(t *testing.T) {
	var names []string
	for _, c := range modelCodecs {
		names = append(names, c.model.Name())
	}
	assert.Subset(t, names, []string{"Agent", "AgentPool", "AgentPoolUpdate", "AgentPoolUpdateSetting",
		"AgentPoolUpdateSettingRequest", "AutoUpdateSchedule", "Error", "ErrorCause", "HrefObject", "HrefObject_Hints", "Links"})
}

func TestEncodeJSONMatchesEncodingJSON(t *testing.T) {
	modes := map[string]fillMode{"full": fillFull, "empty pointers": fillEmpty}
	for _, c := range modelCodecs {
		for modeName, mode := range modes {
			t.Run(c.model.Name()+"/"+modeName, func(t *testing.T) {
				model := reflect.New(c.model)
				fill(model.Elem(), mode)
				reference := reflect.New(referenceType(c.model))
				copyFields(reference.Elem(), model.Elem())

				want, err := json.Marshal(reference.Interface())
				require.NoError(t, err)
				got, err := EncodeJSON(model.Interface())
				require.NoError(t, err)
				assert.Equal(t, string(want), string(got))

				zero, err := EncodeJSON(reflect.New(c.model).Interface())
				require.NoError(t, err)
				wantZero, err := json.Marshal(reflect.New(referenceType(c.model)).Interface())
				require.NoError(t, err)
				assert.Equal(t, string(wantZero), string(zero))
			})
		}
	}
}

func TestDecodeJSONMatchesEncodingJSON(t *testing.T) {
	for _, c := range modelCodecs {
		t.Run(c.model.Name(), func(t *testing.T) {
			filled := reflect.New(referenceType(c.model))
			model := reflect.New(c.model)
			fill(model.Elem(), fillFull)
			copyFields(filled.Elem(), model.Elem())
			data, err := json.Marshal(filled.Interface())
			require.NoError(t, err)

			// The same members with their names in upper case, which match
			// the fields as well.
			var members map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(data, &members))
			upper := make(map[string]json.RawMessage)
			for name, value := range members {
				upper[strings.ToUpper(name)] = value
			}
			upperData, err := json.Marshal(upper)
			require.NoError(t, err)

			for _, in := range [][]byte{data, upperData} {
				want := reflect.New(referenceType(c.model))
				require.NoError(t, json.Unmarshal(in, want.Interface()))
				got := reflect.New(c.model)
				require.NoError(t, DecodeJSON(in, got.Interface()))

				for i := range want.Elem().NumField() {
					name := want.Elem().Type().Field(i).Name
					assert.Equal(t, want.Elem().Field(i).Interface(), got.Elem().FieldByName(name).Interface(), "field %s of %s", name, in)
				}
				assert.Nil(t, got.Elem().FieldByName("AdditionalProperties").Interface(), "no unknown members in %s", in)
			}
		})
	}
}

func TestEncodeJSONOtherValues(t *testing.T) {
	name := "dc"
	pool := AgentPool{Name: &name}
	var nilPool *AgentPool
	type wrapper struct {
		Pool  AgentPool            `json:"pool"`
		Pools map[string]AgentPool `json:"pools"`
	}

	tests := []struct {
		name string
		in   any
		want string
	}{
		{name: "nil", in: nil, want: `null`},
		{name: "model value", in: pool, want: `{"name":"dc"}`},
		{name: "model pointer", in: &pool, want: `{"name":"dc"}`},
		{name: "nil model pointer", in: nilPool, want: `null`},
		{name: "pointer to model pointer", in: &nilPool, want: `null`},
		{name: "slice of models", in: []AgentPool{pool, {}}, want: `[{"name":"dc"},{}]`},
		{name: "nil slice of models", in: []AgentPool(nil), want: `null`},
		{name: "strings", in: []string{"a", "<"}, want: `["a","\u003c"]`},
		{name: "enum", in: Radius, want: `"Radius"`},
		{name: "struct with models", in: wrapper{Pool: pool, Pools: map[string]AgentPool{"a": pool}}, want: `{"pool":{"name":"dc"},"pools":{"a":{"name":"dc"}}}`},
		{name: "number", in: 1.5, want: `1.5`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EncodeJSON(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))

			want, err := json.Marshal(tt.in)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got), "json.Marshal")
		})
	}
}

func TestEncodeJSONWritesRawValuesAsSent(t *testing.T) {
	var agent Agent
	require.NoError(t, DecodeJSON([]byte(`{"lastConnection":{ "at": "<now>" },"extra":[ 1, "&" ]}`), &agent))

	got, err := EncodeJSON(&agent)
	require.NoError(t, err)
	assert.Equal(t, `{"lastConnection":{ "at": "<now>" },"extra":[ 1, "&" ]}`, string(got))

	marshalled, err := json.Marshal(agent)
	require.NoError(t, err)
	assert.Equal(t, `{"lastConnection":{"at":"\u003cnow\u003e"},"extra":[1,"\u0026"]}`, string(marshalled))
}

func TestDecodeJSONArrays(t *testing.T) {
	tests := []struct {
		in         string
		wantAgents []Agent
	}{
		{in: `{"agents":null}`},
		{in: `{"agents":[]}`, wantAgents: []Agent{}},
		{in: `{"agents":[{}]}`, wantAgents: []Agent{{}}},
		{in: `{"agents":[{},null,{},{},{}]}`, wantAgents: []Agent{{}, {}, {}, {}, {}}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var pool AgentPool
			require.NoError(t, DecodeJSON([]byte(tt.in), &pool))

			if tt.wantAgents == nil {
				assert.Nil(t, pool.Agents)
			} else {
				require.NotNil(t, pool.Agents)
				assert.Equal(t, tt.wantAgents, *pool.Agents)
			}
		})
	}
}

func TestDecodeJSONReplacesSliceElements(t *testing.T) {
	pools := []AgentPool{{Id: new(string)}, {Id: new(string)}, {Id: new(string)}}

	require.NoError(t, DecodeJSON([]byte(`[{"name":"a"}]`), &pools))
	require.Len(t, pools, 1)
	assert.Nil(t, pools[0].Id, "the element is decoded anew")
	assert.Equal(t, "a", *pools[0].Name)
}

func TestDecodeJSONErrors(t *testing.T) {
	var pools []AgentPool

	err := DecodeJSON([]byte(`[{"id":"0oa1"},{"name":}]`), &pools)
	var syntaxErr *jsontext.SyntacticError
	require.ErrorAs(t, err, &syntaxErr)
	assert.Equal(t, int64(23), syntaxErr.ByteOffset)

	err = DecodeJSON([]byte(`[{"id":"0oa1"},{"agents":[{"isHidden":"yes"}]}]`), &pools)
	var semanticErr *jsonv2.SemanticError
	require.ErrorAs(t, err, &semanticErr)
	assert.Equal(t, jsontext.Pointer("/1/agents/0/isHidden"), semanticErr.JSONPointer)

	err = DecodeJSON([]byte(`{}`), pools)
	assert.Error(t, err, "a slice, not a pointer")

	err = DecodeJSON([]byte(`{"name":"a"} {}`), &AgentPool{})
	assert.Error(t, err, "a second value")
}

func FuzzAppendString(f *testing.F) {
	for _, seed := range []string{"", "plain", "<a href=\"x\">&amp;</a>", "\x00\x1f\t\n\r\b\f\\", "é\u2028\u2029😀", "\xff\xfe", "a\xc3"} {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("appendString(%q) = %s, json.Marshal gives %s", s, got, want)
		}
	})
}
