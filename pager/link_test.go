package pager

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLinkValue(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name  string
		value string
		want  []Link
	}{
		{
			name:  "one link",
			value: `<https://example.okta.com/api/v1/agentPools?after=abc>; rel="next"`,
			want:  []Link{{URL: "https://example.okta.com/api/v1/agentPools?after=abc", Rel: []string{"next"}}},
		},
		{
			name:  "comma-joined",
			value: `<https://a.example/1>; rel="self", <https://a.example/2>; rel="next"`,
			want: []Link{
				{URL: "https://a.example/1", Rel: []string{"self"}},
				{URL: "https://a.example/2", Rel: []string{"next"}},
			},
		},
		{
			name:  "rel not first",
			value: `</items?after=x>; title="Next page"; type="application/json"; rel="next"`,
			want: []Link{{
				URL:    "/items?after=x",
				Rel:    []string{"next"},
				Params: map[string]string{"title": "Next page", "type": "application/json"},
			}},
		},
		{
			name:  "unquoted rel",
			value: `</items?after=x>; rel=next`,
			want:  []Link{{URL: "/items?after=x", Rel: []string{"next"}}},
		},
		{
			name:  "unquoted value with slash",
			value: `</a>; rel=alternate; type=text/html`,
			want:  []Link{{URL: "/a", Rel: []string{"alternate"}, Params: map[string]string{"type": "text/html"}}},
		},
		{
			name:  "quoted comma and semicolon",
			value: `</a>; title="one, two; three"; rel="next", </b>; rel="prev"`,
			want: []Link{
				{URL: "/a", Rel: []string{"next"}, Params: map[string]string{"title": "one, two; three"}},
				{URL: "/b", Rel: []string{"prev"}},
			},
		},
		{
			name:  "escaped quotes and backslash",
			value: `</a>; title="say \"hi\", \\o/"; rel="next"`,
			want:  []Link{{URL: "/a", Rel: []string{"next"}, Params: map[string]string{"title": `say "hi", \o/`}}},
		},
		{
			name:  "several rel values",
			value: `</last>; rel="next last"`,
			want:  []Link{{URL: "/last", Rel: []string{"next", "last"}}},
		},
		{
			name:  "rel values split on tabs and repeated spaces",
			value: "</a>; rel=\"  next \t last  \"",
			want:  []Link{{URL: "/a", Rel: []string{"next", "last"}}},
		},
		{
			name:  "case-insensitive names and rel values",
			value: `</a>; REL="Next"; Title="Keep Case"`,
			want:  []Link{{URL: "/a", Rel: []string{"next"}, Params: map[string]string{"title": "Keep Case"}}},
		},
		{
			name:  "extra whitespace",
			value: "  \t</a>  ;  rel  =  \"next\"  ,\t</b>\t;\trel\t=\tprev\t ",
			want: []Link{
				{URL: "/a", Rel: []string{"next"}},
				{URL: "/b", Rel: []string{"prev"}},
			},
		},
		{
			name:  "no whitespace",
			value: `</a>;rel=next,</b>;rel="prev"`,
			want: []Link{
				{URL: "/a", Rel: []string{"next"}},
				{URL: "/b", Rel: []string{"prev"}},
			},
		},
		{
			name:  "comma and semicolon inside target",
			value: `<https://a.example/x;v=1?ids=1,2,3>; rel="next", </y,z>; rel=prev`,
			want: []Link{
				{URL: "https://a.example/x;v=1?ids=1,2,3", Rel: []string{"next"}},
				{URL: "/y,z", Rel: []string{"prev"}},
			},
		},
		{
			name:  "whitespace next to brackets trimmed",
			value: `< /a >; rel=next`,
			want:  []Link{{URL: "/a", Rel: []string{"next"}}},
		},
		{
			name:  "trailing comma and empty elements",
			value: `, </a>; rel=next,, </b>; rel=prev,`,
			want: []Link{
				{URL: "/a", Rel: []string{"next"}},
				{URL: "/b", Rel: []string{"prev"}},
			},
		},
		{
			name:  "trailing semicolon",
			value: `</a>; rel=next;`,
			want:  []Link{{URL: "/a", Rel: []string{"next"}}},
		},
		{
			name:  "parameter without value",
			value: `</a>; rel=preload; nopush`,
			want:  []Link{{URL: "/a", Rel: []string{"preload"}, Params: map[string]string{"nopush": ""}}},
		},
		{
			name:  "only first rel counts",
			value: `</a>; rel="self"; rel="next"`,
			want:  []Link{{URL: "/a", Rel: []string{"self"}}},
		},
		{
			name:  "first of repeated parameter kept",
			value: `</a>; hreflang=en; hreflang=de`,
			want:  []Link{{URL: "/a", Params: map[string]string{"hreflang": "en"}}},
		},
		{
			name:  "empty rel",
			value: `</a>; rel=""`,
			want:  []Link{{URL: "/a"}},
		},
		{
			name:  "no parameters",
			value: `</a>`,
			want:  []Link{{URL: "/a"}},
		},
		{
			name:  "extended value kept raw",
			value: `</a>; title*=UTF-8'de'n%c3%a4chste`,
			want:  []Link{{URL: "/a", Params: map[string]string{"title*": "UTF-8'de'n%c3%a4chste"}}},
		},
		{
			name:  "empty value",
			value: "",
			want:  nil,
		},
		{
			name:  "only commas and spaces",
			value: " , ,",
			want:  nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			got, err := ParseLinkValue(tt.value)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseLinkValueMalformed(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name       string
		value      string
		wantReason string
		wantOffset int
	}{
		{name: "no angle brackets", value: `https://a.example/; rel=next`, wantReason: `expected "<" to start a link, found 'h'`, wantOffset: 0},
		{name: "unclosed target", value: `<https://a.example/; rel=next`, wantReason: `missing ">" after the link target`, wantOffset: 0},
		{name: "empty target", value: `<>; rel=next`, wantReason: "empty link target", wantOffset: 0},
		{name: "blank target", value: `< >; rel=next`, wantReason: "empty link target", wantOffset: 0},
		{name: "space inside target", value: `</a b>; rel=next`, wantReason: "whitespace inside the link target", wantOffset: 0},
		{name: "angle bracket inside target", value: `</a<b>; rel=next`, wantReason: `invalid character '<' in the link target`, wantOffset: 3},
		{name: "control character in target", value: "</a\x00>; rel=next", wantReason: `invalid character '\x00' in the link target`, wantOffset: 3},
		{name: "unterminated quoted string", value: `</a>; rel="next`, wantReason: "unterminated quoted string", wantOffset: 10},
		{name: "backslash at end", value: `</a>; rel="next\`, wantReason: "unterminated quoted string", wantOffset: 10},
		{name: "control character in quoted string", value: "</a>; title=\"a\x01b\"", wantReason: `invalid character '\x01' in a quoted string`, wantOffset: 14},
		{name: "text after target", value: `</a> rel=next`, wantReason: `expected ";" or ",", found 'r'`, wantOffset: 5},
		{name: "text after quoted value", value: `</a>; rel="next"x`, wantReason: `expected ";" or ",", found 'x'`, wantOffset: 16},
		{name: "two words unquoted", value: `</a>; title=next page`, wantReason: `expected ";" or ",", found 'p'`, wantOffset: 17},
		{name: "missing parameter name", value: `</a>; =next`, wantReason: `expected a parameter name, found '='`, wantOffset: 6},
		{name: "second link without brackets", value: `</a>; rel=next, /b; rel=prev`, wantReason: `expected "<" to start a link, found '/'`, wantOffset: 16},
		{name: "unquoted comma splits value", value: `</a>; title=a,b`, wantReason: `expected "<" to start a link, found 'b'`, wantOffset: 14},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			links, err := ParseLinkValue(tt.value)
			require.Error(t, err)
			assert.Nil(t, links)

			var syntaxErr *SyntaxError
			require.ErrorAs(t, err, &syntaxErr)
			assert.Equal(t, tt.wantReason, syntaxErr.Reason)
			assert.Equal(t, tt.wantOffset, syntaxErr.Offset)
			assert.True(t, strings.HasPrefix(err.Error(), "pager: invalid Link header: "), err.Error())
		})
	}
}

func TestSyntaxErrorQuotesOffendingLink(t *testing.T) {
	t.Parallel()

	_, err := ParseLinkValue(`</a>; rel=next, </b>; rel="prev`)
	require.Error(t, err)

	assert.Equal(t, `pager: invalid Link header: unterminated quoted string at byte 26 of "</b>; rel=\"prev"`, err.Error())
}

func TestSyntaxErrorTruncatesText(t *testing.T) {
	t.Parallel()

	long := "</" + strings.Repeat("x", 500) + ">; rel=next; title=\"unterminated"
	_, err := ParseLinkValue(long)

	var syntaxErr *SyntaxError
	require.ErrorAs(t, err, &syntaxErr)
	assert.Equal(t, long[:maxErrorText]+"...", syntaxErr.Text)
	assert.Less(t, len(err.Error()), 250)
}

func TestParseLinksHeaderLines(t *testing.T) {
	t.Parallel()

	h := http.Header{}
	h.Add("Link", `<https://a.example/p?limit=2>; rel="self"`)
	h.Add("Link", `<https://a.example/p?after=x&limit=2>; rel="next", <https://a.example/p?limit=2>; rel="first"`)

	got, err := ParseLinks(h)
	require.NoError(t, err)

	want := []Link{
		{URL: "https://a.example/p?limit=2", Rel: []string{"self"}},
		{URL: "https://a.example/p?after=x&limit=2", Rel: []string{"next"}},
		{URL: "https://a.example/p?limit=2", Rel: []string{"first"}},
	}
	assert.Equal(t, want, got)
}

func TestParseLinksMalformedLine(t *testing.T) {
	t.Parallel()

	h := http.Header{}
	h.Add("Link", `</a>; rel="self"`)
	h.Add("Link", `</b>; rel="next`)

	links, err := ParseLinks(h)
	assert.Nil(t, links)

	var syntaxErr *SyntaxError
	require.True(t, errors.As(err, &syntaxErr), "error %v is not a *SyntaxError", err)
	assert.Equal(t, `</b>; rel="next`, syntaxErr.Text)
}

func TestParseLinksNoHeader(t *testing.T) {
	t.Parallel()

	links, err := ParseLinks(http.Header{})
	require.NoError(t, err)
	assert.Empty(t, links)
}

func TestLinkHasRel(t *testing.T) {
	t.Parallel()

	link := Link{URL: "/a", Rel: []string{"next", "last"}}

	assert.True(t, link.HasRel("next"))
	assert.True(t, link.HasRel("LAST"))
	assert.False(t, link.HasRel("prev"))
}

func TestLinkString(t *testing.T) {
	t.Parallel()

	link := Link{
		URL:    "https://a.example/p?after=x",
		Rel:    []string{"next", "last"},
		Params: map[string]string{"type": "application/json", "title": `say "hi" \o/`},
	}

	assert.Equal(t, `<https://a.example/p?after=x>; rel="next last"; title="say \"hi\" \\o/"; type="application/json"`, link.String())
}

func TestLinkStringRoundTrip(t *testing.T) {
	t.Parallel()

	value := `</a;b,c>; Title="x, \"y\"; z"; rel="Next LAST"; nopush, </d>`
	links, err := ParseLinkValue(value)
	require.NoError(t, err)
	require.Len(t, links, 2)

	for _, link := range links {
		again, err := ParseLinkValue(link.String())
		require.NoError(t, err)
		require.Len(t, again, 1)
		assert.Equal(t, link, again[0])
	}
}
