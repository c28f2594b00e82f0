package pager

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// Link is one link of a Link header (RFC 8288).
type Link struct {
	// URL is the target as written between < and >, not resolved against
	// any base URL.
	URL string

	// Rel contains the relation types of the rel parameter, with ASCII
	// letters lower-cased. It is nil when rel is missing or empty.
	Rel []string

	// Params contains every other parameter, keyed by its name with ASCII
	// letters lower-cased. A parameter written without "=" has the value "".
	// Params is nil when the link has no other parameters.
	Params map[string]string
}

// HasRel reports whether l has the relation type rel, compared without
// regard to ASCII case.
func (l Link) HasRel(rel string) bool {
	for _, r := range l.Rel {
		if strings.EqualFold(r, rel) {
			return true
		}
	}

	return false
}

// String formats l as a link-value: the URL in angle brackets, then rel,
// then the other parameters sorted by name, every value quoted. String does
// not validate l, so a Link built by hand with a URL containing ">" or a
// parameter name that is not an RFC 9110 token formats to text that does
// not parse back.
func (l Link) String() string {
	var b strings.Builder
	b.WriteString("<")
	b.WriteString(l.URL)
	b.WriteString(">")

	if len(l.Rel) > 0 {
		b.WriteString(`; rel=`)
		writeQuoted(&b, strings.Join(l.Rel, " "))
	}

	names := make([]string, 0, len(l.Params))
	for name := range l.Params {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		b.WriteString("; ")
		b.WriteString(name)
		b.WriteString("=")
		writeQuoted(&b, l.Params[name])
	}

	return b.String()
}

func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
}

// SyntaxError reports a Link header value that does not follow RFC 8288.
type SyntaxError struct {
	// Offset is the byte offset of the problem in the header value.
	Offset int

	// Text is the link-value that contains the problem, from its first byte,
	// cut to 100 bytes.
	Text string

	// Reason describes the problem, for example "unterminated quoted string".
	Reason string
}

// Error returns the reason, the byte offset and the quoted link-value.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("pager: invalid Link header: %s at byte %d of %q", e.Reason, e.Offset, e.Text)
}

// maxErrorText is the number of bytes of header text that a SyntaxError
// quotes.
const maxErrorText = 100

// ParseLinks parses every Link header value in h, in order. A response may
// send several Link header lines, and each line may contain several links
// separated by commas. ParseLinks returns a *SyntaxError for the first value
// that does not parse, and no links in that case.
func ParseLinks(h http.Header) ([]Link, error) {
	var links []Link
	for _, value := range h.Values("Link") {
		parsed, err := ParseLinkValue(value)
		if err != nil {
			return nil, err
		}
		links = append(links, parsed...)
	}

	return links, nil
}

// ParseLinkValue parses one Link header value, which contains zero or more
// comma-separated links.
//
// Parameter names and relation types are matched without regard to ASCII
// case, and values may be tokens or quoted strings. Only the first rel
// parameter of a link counts, as RFC 8288 requires. For other repeated
// parameters, such as hreflang, Params keeps the first value.
//
// ParseLinkValue accepts what sloppy servers send when the meaning is still
// certain: empty list elements (a trailing comma), missing or extra
// whitespace, a parameter without a value, a trailing ";", and unquoted
// values with characters such as "/" that a token does not allow. Anything
// else, including an empty target "<>", returns a *SyntaxError.
func ParseLinkValue(s string) ([]Link, error) {
	p := linkParser{s: s}
	var links []Link
	for {
		p.skipSpace()
		if p.eof() {
			return links, nil
		}

		// RFC 9110 list syntax lets a recipient skip empty elements.
		if p.peek() == ',' {
			p.pos++
			continue
		}

		link, err := p.parseLink()
		if err != nil {
			return nil, err
		}
		links = append(links, link)
	}
}

// linkParser parses one header value. start is the offset of the link-value
// being parsed, so that errors can quote it.
type linkParser struct {
	s     string
	pos   int
	start int
}

func (p *linkParser) eof() bool  { return p.pos >= len(p.s) }
func (p *linkParser) peek() byte { return p.s[p.pos] }

func (p *linkParser) skipSpace() {
	for !p.eof() && isSpace(p.peek()) {
		p.pos++
	}
}

func (p *linkParser) errorAt(offset int, format string, args ...any) *SyntaxError {
	return &SyntaxError{
		Offset: offset,
		Text:   truncate(p.s[p.start:], maxErrorText),
		Reason: fmt.Sprintf(format, args...),
	}
}

// unexpected returns the error for the byte at p.pos, or for the end of the
// value.
func (p *linkParser) unexpected(expected string) *SyntaxError {
	if p.eof() {
		return p.errorAt(p.pos, "expected %s but the value ended", expected)
	}

	return p.errorAt(p.pos, "expected %s, found %q", expected, p.peek())
}

// parseLink parses one link-value and the "," or end of value after it.
func (p *linkParser) parseLink() (Link, error) {
	p.start = p.pos
	target, err := p.parseTarget()
	if err != nil {
		return Link{}, err
	}

	link := Link{URL: target}
	relSeen := false
	for {
		p.skipSpace()
		if p.eof() {
			return link, nil
		}

		switch p.peek() {
		case ',':
			p.pos++
			return link, nil
		case ';':
			p.pos++
		default:
			return Link{}, p.unexpected(`";" or ","`)
		}

		name, value, ok, err := p.parseParam()
		if err != nil {
			return Link{}, err
		}
		if !ok {
			continue
		}

		// RFC 8288 section 3.3: occurrences of rel after the first are ignored.
		if name == "rel" {
			if !relSeen {
				link.Rel = splitRel(value)
				relSeen = true
			}
			continue
		}
		if _, dup := link.Params[name]; dup {
			continue
		}
		if link.Params == nil {
			link.Params = make(map[string]string)
		}
		link.Params[name] = value
	}
}

// parseTarget parses "<" URI-Reference ">". The target may contain "," and
// ";", and whitespace next to the angle brackets is dropped.
func (p *linkParser) parseTarget() (string, error) {
	if p.peek() != '<' {
		return "", p.unexpected(`"<" to start a link`)
	}
	open := p.pos
	p.pos++

	end := strings.IndexByte(p.s[p.pos:], '>')
	if end < 0 {
		return "", p.errorAt(open, `missing ">" after the link target`)
	}
	raw := p.s[p.pos : p.pos+end]
	p.pos += end + 1

	target := strings.Trim(raw, " \t")
	if target == "" {
		return "", p.errorAt(open, "empty link target")
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '<' || isControl(c) {
			return "", p.errorAt(open+1+i, "invalid character %q in the link target", c)
		}
	}
	if strings.ContainsAny(target, " \t") {
		return "", p.errorAt(open, "whitespace inside the link target")
	}

	return target, nil
}

// parseParam parses one link-param after its ";". It returns ok false for an
// empty parameter, as in a trailing ";".
func (p *linkParser) parseParam() (name, value string, ok bool, err error) {
	p.skipSpace()
	if p.eof() || p.peek() == ';' || p.peek() == ',' {
		return "", "", false, nil
	}

	nameStart := p.pos
	for !p.eof() && isTokenChar(p.peek()) {
		p.pos++
	}
	if p.pos == nameStart {
		return "", "", false, p.unexpected("a parameter name")
	}
	name = lowerASCII(p.s[nameStart:p.pos])

	p.skipSpace()
	if p.eof() || p.peek() != '=' {
		return name, "", true, nil
	}
	p.pos++
	p.skipSpace()

	if !p.eof() && p.peek() == '"' {
		value, err = p.parseQuoted()
		return name, value, err == nil, err
	}

	valueStart := p.pos
	for !p.eof() && isUnquotedValueChar(p.peek()) {
		p.pos++
	}

	return name, p.s[valueStart:p.pos], true, nil
}

// parseQuoted parses an RFC 9110 quoted-string and returns its content with
// the backslash escapes removed.
func (p *linkParser) parseQuoted() (string, error) {
	open := p.pos
	p.pos++

	var b strings.Builder
	for !p.eof() {
		c := p.peek()
		switch {
		case c == '"':
			p.pos++
			return b.String(), nil
		case c == '\\':
			if p.pos+1 >= len(p.s) {
				return "", p.errorAt(open, "unterminated quoted string")
			}
			escaped := p.s[p.pos+1]
			if isControl(escaped) {
				return "", p.errorAt(p.pos+1, "invalid character %q in a quoted string", escaped)
			}
			b.WriteByte(escaped)
			p.pos += 2
		case isControl(c):
			return "", p.errorAt(p.pos, "invalid character %q in a quoted string", c)
		default:
			b.WriteByte(c)
			p.pos++
		}
	}

	return "", p.errorAt(open, "unterminated quoted string")
}

// splitRel splits a rel value into relation types, which RFC 8288 separates
// by spaces. Relation types compare without regard to ASCII case, so they
// are lower-cased.
func splitRel(value string) []string {
	fields := strings.FieldsFunc(value, func(r rune) bool { return r == ' ' || r == '\t' })
	if len(fields) == 0 {
		return nil
	}
	for i, f := range fields {
		fields[i] = lowerASCII(f)
	}

	return fields
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}

	return s
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// isControl reports whether c is an ASCII control character other than
// horizontal tab, which header values must not contain.
func isControl(c byte) bool { return (c < 0x20 && c != '\t') || c == 0x7f }

// isTokenChar reports whether c is a tchar of RFC 9110 section 5.6.2.
func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}

	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// isUnquotedValueChar reports whether c may appear in an unquoted parameter
// value. This is wider than a token, because servers send values such as
// type=text/html unquoted, but it excludes the delimiters that end a value.
func isUnquotedValueChar(c byte) bool {
	return c > ' ' && c != 0x7f && c != ',' && c != ';' && c != '"' && c != '<' && c != '>'
}
