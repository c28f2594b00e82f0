package api

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTimestampDecodeForms(t *testing.T) {
	want := time.Date(2024, 12, 4, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		in        string
		wantTime  time.Time
		wantValid bool
		wantNull  bool
	}{
		{name: "unix milliseconds", in: `1733313600000`, wantTime: want, wantValid: true},
		{name: "RFC 3339", in: `"2024-12-04T12:00:00Z"`, wantTime: want, wantValid: true},
		{name: "RFC 3339 milliseconds", in: `"2024-12-04T12:00:00.000Z"`, wantTime: want, wantValid: true},
		{name: "offset without colon", in: `"2024-12-04T13:00:00.000+0100"`, wantTime: want, wantValid: true},
		{name: "null", in: `null`, wantNull: true},
		{name: "empty string", in: `""`},
		{name: "not a time", in: `"yesterday"`},
		{name: "float", in: `1.5`},
		{name: "object", in: `{"t":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ts Timestamp
			require.NoError(t, json.Unmarshal([]byte(tt.in), &ts))

			assert.True(t, tt.wantTime.Equal(ts.Time), "got %v", ts.Time)
			assert.Equal(t, tt.wantValid, ts.Valid())
			assert.Equal(t, tt.wantNull, ts.IsNull())
			assert.False(t, ts.IsZero(), "a decoded value is present")

			out, err := json.Marshal(ts)
			require.NoError(t, err)
			assert.Equal(t, tt.in, string(out), "re-encodes as sent")
		})
	}
}

func TestTimestampInModel(t *testing.T) {
	tests := []string{
		`{"lastConnection":1733313600000}`,
		`{"lastConnection":-1}`,
		`{"lastConnection":"2024-11-30T22:04:11.000Z"}`,
		`{"lastConnection":"2024-11-30T22:04:11.000+0100"}`,
		`{"lastConnection":"2024-11-30T22:04:11\u002e000Z"}`,
		`{"lastConnection":""}`,
		`{"lastConnection":null}`,
		`{"lastConnection":1.5e3}`,
		`{"lastConnection":99999999999999999999}`,
		`{"lastConnection":[true]}`,
		`{}`,
	}
	for _, in := range tests {
		for decoderName, decode := range decoders {
			for encoderName, encode := range encoders {
				t.Run(in+"/"+decoderName+"/"+encoderName, func(t *testing.T) {
					var agent Agent
					require.NoError(t, decode([]byte(in), &agent))

					out, err := encode(&agent)
					require.NoError(t, err)
					assert.Equal(t, in, string(out))
				})
			}
		}
	}
}

func TestTimestampDecodesMillisWithoutAllocating(t *testing.T) {
	b := []byte(`1733313600000`)
	var ts Timestamp

	allocs := testing.AllocsPerRun(100, func() {
		_ = ts.UnmarshalJSON(b)
	})
	assert.Zero(t, allocs)
	assert.Equal(t, int64(1733313600000), ts.Time.UnixMilli())

	null := []byte(`null`)
	allocs = testing.AllocsPerRun(100, func() {
		_ = ts.UnmarshalJSON(null)
	})
	assert.Zero(t, allocs)
	assert.True(t, ts.IsNull())
}

func TestTimestampNumbers(t *testing.T) {
	tests := []struct {
		in         string
		wantMillis int64
		wantValid  bool
	}{
		{in: `0`, wantMillis: 0, wantValid: true},
		{in: `-0`, wantMillis: 0, wantValid: true},
		{in: `1`, wantMillis: 1, wantValid: true},
		{in: `-1733313600000`, wantMillis: -1733313600000, wantValid: true},
		{in: `9223372036854775807`, wantMillis: math.MaxInt64, wantValid: true},
		{in: `-9223372036854775808`, wantMillis: math.MinInt64, wantValid: true},
		{in: `9223372036854775808`},
		{in: `-9223372036854775809`},
		{in: `1e3`},
		{in: `1.0`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var ts Timestamp
			require.NoError(t, ts.UnmarshalJSON([]byte(tt.in)))

			assert.Equal(t, tt.wantValid, ts.Valid())
			if tt.wantValid {
				assert.Equal(t, tt.wantMillis, ts.Time.UnixMilli())
			}
			out, err := ts.MarshalJSON()
			require.NoError(t, err)
			want := tt.in
			if want == "-0" {
				want = "0"
			}
			assert.Equal(t, want, string(out), "re-encodes as sent")
		})
	}
}

func TestTimestampRejectsInvalidJSON(t *testing.T) {
	for _, in := range []string{`"`, `"abc`, `-`, `01`, `--1`, `1-`, `tru`, `{`, ``} {
		t.Run(in, func(t *testing.T) {
			var ts Timestamp
			err := ts.UnmarshalJSON([]byte(in))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "api: timestamp")
		})
	}
}

func TestTimestampChangedKeepsForm(t *testing.T) {
	var ts Timestamp
	require.NoError(t, json.Unmarshal([]byte(`1733313600000`), &ts))
	ts.Time = ts.Time.Add(time.Second)

	out, err := json.Marshal(ts)
	require.NoError(t, err)
	assert.Equal(t, `1733313601000`, string(out))

	require.NoError(t, json.Unmarshal([]byte(`"2024-12-04T12:00:00.000Z"`), &ts))
	ts.Time = ts.Time.Add(time.Hour)
	out, err = json.Marshal(ts)
	require.NoError(t, err)
	assert.Equal(t, `"2024-12-04T13:00:00Z"`, string(out))
}

func TestTimestampConstructors(t *testing.T) {
	at := time.Date(2024, 12, 4, 12, 0, 0, 0, time.UTC)

	out, err := json.Marshal(NewTimestamp(at))
	require.NoError(t, err)
	assert.Equal(t, `"2024-12-04T12:00:00Z"`, string(out))

	out, err = json.Marshal(NewTimestampMillis(at))
	require.NoError(t, err)
	assert.Equal(t, `1733313600000`, string(out))

	assert.True(t, Timestamp{}.IsZero())
	assert.Equal(t, "2024-12-04T12:00:00Z", NewTimestamp(at).String())
}
