package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// timestampForm records how a Timestamp was written in JSON.
type timestampForm uint8

const (
	formAbsent timestampForm = iota // not in the object
	formNull                        // null
	formMillis                      // integer Unix time in milliseconds
	formText                        // string: RFC 3339, or empty
	formOther                       // any other JSON value, kept as sent
)

// textLayouts are the string forms a Timestamp accepts, tried in order.
// NOTE: Okta's APIs send RFC 3339 with milliseconds; the layouts without a
// colon in the offset are accepted because some Okta endpoints send them.
var textLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
}

// Timestamp is a time that Okta sends as an integer of Unix milliseconds,
// an RFC 3339 string, an empty string or null. It decodes every form, and
// encodes in the form it was decoded from, so a model sent back unchanged
// carries the same value. A JSON value of another kind decodes without an
// error: Time stays zero, Valid reports false and the value is kept as sent.
//
// The zero Timestamp is absent: a field holding it is left out of the JSON.
type Timestamp struct {
	// Time is the decoded time, zero for null, an empty string or a value
	// that is not a time. Changing it changes what MarshalJSON encodes.
	Time time.Time

	form    timestampForm
	decoded time.Time // Time as decoded, to tell whether it was changed
	raw     string    // the JSON as sent, for formText and formOther
}

// NewTimestamp returns t as a Timestamp that encodes as an RFC 3339 string.
func NewTimestamp(t time.Time) Timestamp {
	return Timestamp{Time: t, form: formText}
}

// NewTimestampMillis returns t as a Timestamp that encodes as Unix
// milliseconds, the form current Okta orgs send.
func NewTimestampMillis(t time.Time) Timestamp {
	return Timestamp{Time: t, form: formMillis}
}

// IsZero reports whether the Timestamp is absent. A null one is not zero,
// so it is encoded as null.
func (t Timestamp) IsZero() bool {
	return t.form == formAbsent && t.Time.IsZero()
}

// IsNull reports whether the Timestamp was decoded from JSON null.
func (t Timestamp) IsNull() bool {
	return t.form == formNull && t.Time.IsZero()
}

// Valid reports whether the Timestamp holds a time.
func (t Timestamp) Valid() bool {
	return !t.Time.IsZero()
}

// String returns the time in RFC 3339, "null" for null, and the JSON as
// sent for a value that is not a time.
func (t Timestamp) String() string {
	switch {
	case t.Valid():
		return t.Time.Format(time.RFC3339Nano)
	case t.form == formOther || t.form == formText:
		return t.raw
	case t.form == formNull:
		return "null"
	default:
		return ""
	}
}

// UnmarshalJSON decodes any JSON value; it fails only on invalid JSON. It
// allocates nothing for Unix milliseconds and null.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*t = Timestamp{}

	if string(b) == "null" {
		t.form = formNull
		return nil
	}
	if ms, ok := parseMillis(b); ok {
		t.form = formMillis
		t.Time = time.UnixMilli(ms).UTC()
		t.decoded = t.Time
		return nil
	}
	if !json.Valid(b) {
		return fmt.Errorf("api: timestamp %.40q is not valid JSON", b)
	}

	t.raw = string(b)
	t.form = formOther
	if b[0] == '"' {
		text := t.raw[1 : len(t.raw)-1]
		if strings.IndexByte(text, '\\') >= 0 {
			if err := json.Unmarshal(b, &text); err != nil {
				return err
			}
		}
		t.form = formText
		t.Time = parseText(text)
	}

	t.decoded = t.Time
	return nil
}

// parseMillis returns the JSON integer b, and false for anything else, such
// as a fraction, an exponent or a number outside int64.
func parseMillis(b []byte) (int64, bool) {
	negative := len(b) > 0 && b[0] == '-'
	if negative {
		b = b[1:]
	}
	if len(b) == 0 || (len(b) > 1 && b[0] == '0') {
		return 0, false
	}

	// Accumulate as a negative number, which reaches math.MinInt64.
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		digit := int64(c - '0')
		if n < (math.MinInt64+digit)/10 {
			return 0, false
		}
		n = n*10 - digit
	}

	if negative {
		return n, true
	}
	if n == math.MinInt64 {
		return 0, false
	}
	return -n, true
}

func parseText(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, layout := range textLayouts {
		if parsed, err := time.Parse(layout, s); err == nil {
			return parsed
		}
	}
	return time.Time{}
}

// MarshalJSON encodes the Timestamp in the form it was decoded from: the
// same bytes while Time is unchanged, else the new Time in that form.
// A Timestamp made from a time.Time alone encodes as an RFC 3339 string.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return t.appendJSON(nil), nil
}

// appendJSON appends the JSON that MarshalJSON returns to dst.
func (t Timestamp) appendJSON(dst []byte) []byte {
	unchanged := t.Time.Equal(t.decoded)

	switch {
	case unchanged && (t.form == formText || t.form == formOther):
		return append(dst, t.raw...)
	case t.Time.IsZero():
		return append(dst, "null"...)
	case t.form == formMillis:
		return strconv.AppendInt(dst, t.Time.UnixMilli(), 10)
	default:
		dst = append(dst, '"')
		dst = t.Time.AppendFormat(dst, time.RFC3339Nano)
		return append(dst, '"')
	}
}
