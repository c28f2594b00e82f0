package api

import (
	"encoding/json"
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
		`{"lastConnection":"2024-11-30T22:04:11.000Z"}`,
		`{"lastConnection":null}`,
		`{}`,
	}
	for _, in := range tests {
		var agent Agent
		require.NoError(t, json.Unmarshal([]byte(in), &agent), in)

		out, err := json.Marshal(agent)
		require.NoError(t, err)
		assert.Equal(t, in, string(out))
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
