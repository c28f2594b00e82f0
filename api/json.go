package api

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// DecodeJSON decodes the JSON value data into v, a non-nil pointer such as
// *[]AgentPool or *Error, as encoding/json.Unmarshal does, and faster on
// the models of this package: it reads data once, in one pass through
// every nested object, where json.Unmarshal checks and decodes each nested
// model again. The UnmarshalJSON method of every model calls it.
//
// Every member of an object that matches no field of its model is kept, as
// sent, in the AdditionalProperties of that model, at any depth. A member
// name matches a field as in encoding/json, ignoring case as
// strings.EqualFold does, and when an object repeats a name the last value
// wins.
//
// Unlike json.Unmarshal, DecodeJSON stops at the first error, so v may
// hold part of data, and it decodes each element of a slice of models
// into a zero model rather than into the element already there. Its errors
// are those of github.com/go-json-experiment/json, such as
// *jsontext.SyntacticError for invalid JSON and *json.SemanticError for a
// value of the wrong type, with the JSON pointer of the value. It is safe
// for concurrent use.
func DecodeJSON(data []byte, v any) error {
	return jsonv2.Unmarshal(data, v, decodeOptions)
}

// decodeOptions are the behaviour of encoding/json, less its error types,
// with the decoding of the models.
//
// NOTE: the error reporting of encoding/json is left out because under it
// every nested model checks the whole of its JSON again before decoding it,
// which is the cost that DecodeJSON avoids.
var decodeOptions = jsonv2.JoinOptions(
	jsonv1.DefaultOptionsV1(),
	jsonv1.ReportErrorsWithLegacySemantics(false),
	jsonv2.WithUnmarshalers(modelUnmarshalers()),
)

// modelCodec is the decoding of one model by DecodeJSON: the model type and
// the functions that decode it and slices of it.
type modelCodec struct {
	model     reflect.Type
	unmarshal *jsonv2.Unmarshalers
}

// newModelCodec returns the codec of the model T. view converts a *T to W,
// the type with the same fields that jsonv2 decodes, and returns the
// AdditionalProperties of the model, which W holds as an embedded fallback.
// The codec also decodes []T.
func newModelCodec[T, W any](view func(*T) (*W, *map[string]json.RawMessage)) modelCodec {
	decodeModel := jsonv2.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *T) error {
		w, extra := view(v)
		*extra = nil
		return jsonv2.UnmarshalDecode(dec, w)
	})
	return modelCodec{
		model:     reflect.TypeFor[T](),
		unmarshal: jsonv2.JoinUnmarshalers(decodeModel, jsonv2.UnmarshalFromFunc(decodeArray[T])),
	}
}

func modelUnmarshalers() *jsonv2.Unmarshalers {
	all := make([]*jsonv2.Unmarshalers, 0, len(modelCodecs))
	for _, c := range modelCodecs {
		all = append(all, c.unmarshal)
	}
	return jsonv2.JoinUnmarshalers(all...)
}

// decodeArray decodes a JSON array into *s, reusing its capacity. Unlike
// jsonv2, which grows an empty slice to 1, 2 and then 4 elements, it makes
// room for 4 at first, as encoding/json does: arrays of agents and of
// error causes are short but seldom of one element. It returns
// errors.ErrUnsupported, so that jsonv2 decodes the value, for anything
// but an array.
func decodeArray[T any](dec *jsontext.Decoder, s *[]T) error {
	if dec.PeekKind() != '[' {
		return errors.ErrUnsupported
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}

	elems := (*s)[:0]
	if cap(elems) == 0 {
		elems = make([]T, 0, 4)
	}
	for dec.PeekKind() != ']' {
		var zero T
		elems = append(elems, zero)
		if err := jsonv2.UnmarshalDecode(dec, &elems[len(elems)-1]); err != nil {
			*s = elems
			return err
		}
	}
	*s = elems

	_, err := dec.ReadToken()
	return err
}

// EncodeJSON returns the JSON encoding of v as encoding/json.Marshal does,
// and faster on the models of this package and slices of them, which it
// encodes without reflection. A pointer is faster than a value, which is
// copied first. The MarshalJSON method of every model calls the same
// encoder.
//
// A model encodes as its fields followed by the members in its
// AdditionalProperties, sorted by name. EncodeJSON returns an error when a
// member is not valid JSON or has the name of a field of the model,
// ignoring case. Unlike json.Marshal, it writes the members in
// AdditionalProperties and the Timestamp values that are not times as they
// were sent, without removing white space or escaping <, > and &. It is
// safe for concurrent use.
func EncodeJSON(v any) ([]byte, error) {
	if v == nil {
		return []byte("null"), nil
	}

	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer {
		addressable := reflect.New(rv.Type())
		addressable.Elem().Set(rv)
		v = addressable.Interface()
	}
	return encode(v)
}

// encode returns the JSON of *v, built in a buffer from encodeBuffers.
func encode(v any) ([]byte, error) {
	buf := encodeBuffers.Get().(*[]byte)
	defer encodeBuffers.Put(buf)

	out, err := appendValue((*buf)[:0], v)
	if cap(out) <= maxPooledBuffer {
		*buf = out
	}
	if err != nil {
		return nil, err
	}
	return slices.Clone(out), nil
}

// maxPooledBuffer is the capacity above which EncodeJSON lets a buffer go
// rather than keep it for the next call.
const maxPooledBuffer = 1 << 20

// encodeBuffers holds the buffers that EncodeJSON encodes into, so that
// each call allocates only its result.
var encodeBuffers = sync.Pool{New: func() any { return new([]byte) }}

// jsonAppender is a pointer to a model.
type jsonAppender interface {
	appendJSON(dst []byte) ([]byte, error)
}

var jsonAppenderType = reflect.TypeFor[jsonAppender]()

// appendValue appends the JSON of *v to dst, or null when v is nil. v must
// be a pointer. Strings, booleans, int32, Timestamp and models have cases
// of their own; other types, such as the enums and slices, go through
// appendReflect.
func appendValue(dst []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case *string:
		if v == nil {
			return append(dst, "null"...), nil
		}
		return appendString(dst, *v), nil
	case *bool:
		if v == nil {
			return append(dst, "null"...), nil
		}
		return strconv.AppendBool(dst, *v), nil
	case *int32:
		if v == nil {
			return append(dst, "null"...), nil
		}
		return strconv.AppendInt(dst, int64(*v), 10), nil
	case *Timestamp:
		if v == nil {
			return append(dst, "null"...), nil
		}
		return v.appendJSON(dst), nil
	case jsonAppender:
		return v.appendJSON(dst)
	}
	return appendReflect(dst, reflect.ValueOf(v))
}

// appendReflect appends the JSON of what the pointer p points to: a slice
// of strings or of models element by element, an enum as its string, and
// anything else as encoding/json.Marshal encodes it.
func appendReflect(dst []byte, p reflect.Value) ([]byte, error) {
	if p.IsNil() {
		return append(dst, "null"...), nil
	}

	v := p.Elem()
	switch {
	case v.Kind() == reflect.Pointer:
		return appendValue(dst, v.Interface())
	case v.Kind() == reflect.Slice && isListElem(v.Type().Elem()):
		return appendList(dst, v)
	case isEnum(v.Type()):
		return appendString(dst, v.String()), nil
	}

	b, err := json.Marshal(p.Interface())
	if err != nil {
		return dst, err
	}
	return append(dst, b...), nil
}

// isListElem reports whether appendList encodes a slice of t.
func isListElem(t reflect.Type) bool {
	return t.Kind() == reflect.String && t.NumMethod() == 0 || reflect.PointerTo(t).Implements(jsonAppenderType)
}

// isEnum reports whether t is one of the string enums of this package,
// whose MarshalText method returns the value as it is. An enum missing
// from the list is encoded by json.Marshal, which is slower but the same.
func isEnum(t reflect.Type) bool {
	switch t {
	case reflect.TypeFor[AgentType](), reflect.TypeFor[AgentUpdateInstanceStatus](), reflect.TypeFor[AgentUpdateJobStatus](),
		reflect.TypeFor[OperationalStatus](), reflect.TypeFor[ReleaseChannel]():
		return true
	}
	return false
}

// appendList appends the slice v as a JSON array, or null when it is nil.
func appendList(dst []byte, v reflect.Value) ([]byte, error) {
	if v.IsNil() {
		return append(dst, "null"...), nil
	}

	var err error
	dst = append(dst, '[')
	for i := range v.Len() {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = appendValue(dst, v.Index(i).Addr().Interface()); err != nil {
			return dst, err
		}
	}
	return append(dst, ']'), nil
}

// appendName appends quotedName, a member name in quotes followed by a
// colon, to the object that dst ends with, after a comma unless the
// object is still empty.
func appendName(dst []byte, quotedName string) []byte {
	if dst[len(dst)-1] != '{' {
		dst = append(dst, ',')
	}
	return append(dst, quotedName...)
}

// isZero reports whether *v is zero as the omitzero option of
// encoding/json decides: with the IsZero method of T if it has one.
func isZero[T any](v *T) bool {
	if z, ok := any(v).(interface{ IsZero() bool }); ok {
		return z.IsZero()
	}
	return reflect.ValueOf(v).Elem().IsZero()
}

// plainASCII reports for each byte below utf8.RuneSelf whether
// appendString copies it as it is.
var plainASCII = func() (set [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		set[c] = true
	}
	for _, c := range `"\<>&` {
		set[c] = false
	}
	return set
}()

// appendString appends s as a JSON string, escaped as encoding/json
// escapes it: invalid UTF-8 becomes U+FFFD, and <, >, &, U+2028 and U+2029
// are escaped so that the JSON is safe to embed in HTML.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"

	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if plainASCII[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}

		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
