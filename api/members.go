package api

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// appendMembers appends the members of extra, sorted by name, and the
// closing brace to the JSON object of typeName that dst ends with. It
// rejects a member that is not valid JSON or whose name matches one of
// known, the names of the fields, ignoring case as the decoding of names
// does, because the object would then carry the name twice.
func appendMembers(dst []byte, typeName string, known []string, extra map[string]json.RawMessage) ([]byte, error) {
	if len(extra) == 0 {
		return append(dst, '}'), nil
	}

	names := make([]string, 0, len(extra))
	for name, value := range extra {
		if slices.ContainsFunc(known, func(k string) bool { return strings.EqualFold(k, name) }) {
			return dst, fmt.Errorf("api: %s member %q duplicates a field of the same name; set the field instead", typeName, name)
		}
		if !json.Valid(value) {
			return dst, fmt.Errorf("api: %s member %q is not valid JSON: %.40q", typeName, name, value)
		}
		names = append(names, name)
	}
	slices.Sort(names)

	for _, name := range names {
		dst = appendName(dst, "")
		dst = appendString(dst, name)
		dst = append(dst, ':')
		dst = append(dst, extra[name]...)
	}
	return append(dst, '}'), nil
}
