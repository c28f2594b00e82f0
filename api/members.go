package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// unknownMembers stores in *extra every member of the JSON object b whose
// name matches none of known, with its value as sent. It sets *extra to nil
// when there is none, and allocates nothing in that case.
//
// A name matches a known name as encoding/json matches a field, ignoring
// ASCII case, so a member that json.Unmarshal stored in a field is never
// kept twice. b must be valid JSON, as json.Unmarshal has checked it.
func unknownMembers(b []byte, known []string, extra *map[string]json.RawMessage) error {
	*extra = nil

	s := objectScanner{data: b}
	if !s.open() {
		return nil
	}

	for {
		rawName, ok := s.name()
		if !ok {
			return nil
		}
		start, end := s.value()
		if isKnownMember(rawName, known) {
			continue
		}

		name, err := unquoteName(rawName)
		if err != nil {
			return err
		}
		if *extra == nil {
			*extra = make(map[string]json.RawMessage)
		}
		(*extra)[name] = slices.Clone(b[start:end])
	}
}

// isKnownMember reports whether the quoted JSON name raw matches one of known.
func isKnownMember(raw []byte, known []string) bool {
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') >= 0 {
		name, err := unquoteName(raw)
		if err != nil {
			return false
		}
		inner = []byte(name)
	}

	for _, k := range known {
		if len(k) == len(inner) && strings.EqualFold(k, string(inner)) {
			return true
		}
	}
	return false
}

func unquoteName(raw []byte) (string, error) {
	var name string
	if err := json.Unmarshal(raw, &name); err != nil {
		return "", fmt.Errorf("api: invalid member name %s: %w", raw, err)
	}
	return name, nil
}

// appendMembers adds the members of extra, sorted by name, to the JSON
// object b that encodes the fields of typeName. It rejects a member that is
// not valid JSON or whose name matches a field, because the object would
// then carry the name twice.
func appendMembers(b []byte, typeName string, known []string, extra map[string]json.RawMessage) ([]byte, error) {
	if len(extra) == 0 {
		return b, nil
	}

	names := make([]string, 0, len(extra))
	for name := range extra {
		if slices.ContainsFunc(known, func(k string) bool { return strings.EqualFold(k, name) }) {
			return nil, fmt.Errorf("api: %s member %q duplicates a field of the same name; set the field instead", typeName, name)
		}
		if !json.Valid(extra[name]) {
			return nil, fmt.Errorf("api: %s member %q is not valid JSON: %.40q", typeName, name, extra[name])
		}
		names = append(names, name)
	}
	slices.Sort(names)

	out := b[:len(b)-1]
	for i, name := range names {
		if i > 0 || len(out) > 1 {
			out = append(out, ',')
		}
		quoted, err := json.Marshal(name)
		if err != nil {
			return nil, err
		}
		out = append(out, quoted...)
		out = append(out, ':')
		out = append(out, extra[name]...)
	}
	return append(out, '}'), nil
}

// objectScanner walks the members of one valid JSON object without
// decoding the values.
type objectScanner struct {
	data []byte
	pos  int
}

// open moves past the opening brace, and reports false for anything but an
// object (json null included).
func (s *objectScanner) open() bool {
	s.skipSpace()
	if s.pos >= len(s.data) || s.data[s.pos] != '{' {
		return false
	}
	s.pos++
	return true
}

// name returns the next member name with its quotes, or false at the end
// of the object.
func (s *objectScanner) name() ([]byte, bool) {
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == ',' {
		s.pos++
		s.skipSpace()
	}
	if s.pos >= len(s.data) || s.data[s.pos] != '"' {
		return nil, false
	}

	start := s.pos
	s.skipString()
	name := s.data[start:s.pos]

	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == ':' {
		s.pos++
	}
	return name, true
}

// value moves past the next value and returns where it starts and ends.
func (s *objectScanner) value() (start, end int) {
	s.skipSpace()
	start = s.pos

	depth := 0
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; c {
		case '"':
			s.skipString()
			if depth == 0 {
				return start, s.pos
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return start, s.pos
			}
			depth--
			if depth == 0 {
				s.pos++
				return start, s.pos
			}
		case ',':
			if depth == 0 {
				return start, s.pos
			}
		case ' ', '\t', '\r', '\n':
			if depth == 0 {
				return start, s.pos
			}
		}
		s.pos++
	}
	return start, s.pos
}

// skipString moves past the string that starts at the current position.
func (s *objectScanner) skipString() {
	s.pos++
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case '\\':
			s.pos += 2
			continue
		case '"':
			s.pos++
			return
		}
		s.pos++
	}
}

func (s *objectScanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		default:
			return
		}
	}
}
