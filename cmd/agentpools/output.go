package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/seed570a29ac/agentpools/client"
)

// report prints err on a.stderr, if any, and returns the exit status.
func (a *app) report(err error) int {
	if err == nil {
		return exitOK
	}

	if usage, ok := errors.AsType[*usageError](err); ok {
		fmt.Fprintf(a.stderr, "agentpools: %s\n", oneLine(usage.msg))
		path := "agentpools"
		if usage.path != "" {
			path += " " + usage.path
		}
		fmt.Fprintf(a.stderr, "Run '%s --help' for usage.\n", path)
		return exitUsage
	}

	if apiErr, ok := errors.AsType[*client.Error](err); ok {
		fmt.Fprintln(a.stderr, formatAPIError(apiErr))
		return exitError
	}

	fmt.Fprintf(a.stderr, "agentpools: %s\n", oneLine(err.Error()))
	return exitError
}

// formatAPIError returns the one-line message for an error object of the
// API: HTTP status, Okta's errorCode and errorSummary, the summaries of its
// errorCauses joined by "; ", and the request id.
// A request that the client did not send, because the rate limit was used
// up, has no status, so its message is the client's own.
func formatAPIError(e *client.Error) string {
	if e.StatusCode == 0 {
		return "agentpools: " + oneLine(e.Error())
	}

	var b strings.Builder
	fmt.Fprintf(&b, "agentpools: HTTP %d", e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Summary != "" {
		fmt.Fprintf(&b, ": %s", e.Summary)
	}
	// The summary of a 400 is generic, such as "Api validation failed:
	// status", and the causes state what is wrong.
	if causes := joinCauses(e.Summary, e.Causes); causes != "" {
		fmt.Fprintf(&b, ": %s", causes)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	} else {
		b.WriteString(" (no request id)")
	}
	return oneLine(b.String())
}

// joinCauses joins the non-empty causes of an Okta error whose summary is
// summary with "; ", each trimmed of white space.
func joinCauses(summary string, causes []string) string {
	// NOTE: Okta's summary of a validation error ends with the field, as in
	// "Api validation failed: status", and the summary of each cause starts
	// with its field again, as in "status: cannot ...". The repeated field
	// is dropped so that the line reads "... failed: status: cannot ...".
	var field string
	if i := strings.LastIndex(summary, ": "); i >= 0 {
		field = summary[i+2:] + ":"
	}

	var nonEmpty []string
	for _, cause := range causes {
		cause = strings.TrimSpace(cause)
		if field != "" && strings.HasPrefix(cause, field) {
			cause = strings.TrimSpace(strings.TrimPrefix(cause, field))
		}
		if cause != "" {
			nonEmpty = append(nonEmpty, cause)
		}
	}
	return strings.Join(nonEmpty, "; ")
}

// oneLine replaces line breaks and other control characters, which an API
// message may contain, so that a message takes exactly one line and cannot
// send escape sequences to a terminal.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// encodeJSON encodes v indented by two spaces, every line after the first
// starting with prefix, without a trailing newline. Strings take their
// shortest form: the api models escape <, > and & as encoding/json does,
// and this restores them as the API sent them.
func encodeJSON(v any, prefix string) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}

	value := jsontext.Value(data)
	err = value.Format(
		jsontext.AllowDuplicateNames(true),
		jsontext.AllowInvalidUTF8(true),
		jsontext.EscapeForHTML(false),
		jsontext.SpaceAfterColon(true),
		jsontext.WithIndent("  "),
		jsontext.WithIndentPrefix(prefix),
	)
	if err != nil {
		return nil, err
	}
	return value, nil
}

// writeJSON prints v as one indented JSON value.
func writeJSON(w io.Writer, v any) error {
	data, err := encodeJSON(v, "")
	if err != nil {
		return fmt.Errorf("encoding the output failed: %w", err)
	}
	data = append(data, '\n')
	_, err = w.Write(data)
	return err
}

// jsonArray prints a JSON array one element at a time, so that a listing is
// printed as its pages arrive.
//
// An array that is not closed, because the listing failed, is left without
// its closing bracket: a JSON consumer then fails instead of mistaking part
// of a listing for all of it.
type jsonArray struct {
	w     io.Writer
	count int
}

// add prints v as the next element, after the opening bracket when it is the
// first one.
func (j *jsonArray) add(v any) error {
	data, err := encodeJSON(v, "  ")
	if err != nil {
		return fmt.Errorf("encoding the output failed: %w", err)
	}

	var buf bytes.Buffer
	if j.count == 0 {
		buf.WriteString("[\n  ")
	} else {
		buf.WriteString(",\n  ")
	}
	buf.Write(data)
	j.count++

	_, err = j.w.Write(buf.Bytes())
	return err
}

// close prints the end of the array, or "[]" for an array without
// elements.
func (j *jsonArray) close() error {
	end := "\n]\n"
	if j.count == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

// table prints rows aligned in columns. It holds every row until flush,
// because a column is as wide as its widest cell.
type table struct {
	tw  *tabwriter.Writer
	err error // the first write error, which flush returns
}

func newTable(w io.Writer, header ...string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	t.row(header...)
	return t
}

// row adds one row. Cells are cleaned of tabs, line breaks and other
// control characters so that they stay in their column. A write error is
// kept for flush to return; after one, row writes nothing.
func (t *table) row(cells ...string) {
	for i, cell := range cells {
		if i > 0 {
			t.write("\t")
		}
		t.write(tableCell(cell))
	}
	t.write("\n")
}

func (t *table) write(s string) {
	if t.err == nil {
		_, t.err = io.WriteString(t.tw, s)
	}
}

// flush prints the rows held so far. It returns the first error of writing
// to the underlying writer, including one that a row met.
func (t *table) flush() error {
	if t.err != nil {
		return t.err
	}
	return t.tw.Flush()
}

// tableCell returns s quoted as a Go string when it contains a control
// character, and "-" when it is empty.
func tableCell(s string) string {
	if s == "" {
		return "-"
	}
	if strings.ContainsFunc(s, unicode.IsControl) {
		return strconv.Quote(s)
	}
	return s
}

// text returns the value of an optional field for a table, "" when unset.
func text[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}

// number returns the value of an optional integer for a table, "" when
// unset.
func number[T ~int32 | ~int](p *T) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(int(*p))
}

// yesNo returns the value of an optional boolean for a table, "" when
// unset.
func yesNo(p *bool) string {
	switch {
	case p == nil:
		return ""
	case *p:
		return "yes"
	default:
		return "no"
	}
}

// extraRows returns the members that the API sent and the model has no
// field for, as key/value rows sorted by name, so that a table shows them
// too.
func extraRows(extra map[string]json.RawMessage) [][2]string {
	var rows [][2]string
	for _, name := range slices.Sorted(maps.Keys(extra)) {
		rows = append(rows, [2]string{name, string(extra[name])})
	}
	return rows
}

// listOutput prints the items of a listing as they arrive: as elements of
// one JSON array, or as rows of a table printed at close.
type listOutput[T any] struct {
	json  *jsonArray // nil for a table
	table *table     // nil for JSON
	row   func(T) []string
	count int
}

// newListOutput returns a listOutput in the format of a. header and row
// make the table.
func newListOutput[T any](a *app, header []string, row func(T) []string) *listOutput[T] {
	if a.format() == "json" {
		return &listOutput[T]{json: &jsonArray{w: a.stdout}}
	}
	return &listOutput[T]{table: newTable(a.stdout, header...), row: row}
}

func (o *listOutput[T]) add(item T) error {
	o.count++
	if o.json != nil {
		return o.json.add(item)
	}
	o.table.row(o.row(item)...)
	return nil
}

// close ends the JSON array or prints the table. Skip it after a failed
// listing, so that the JSON array stays unterminated.
func (o *listOutput[T]) close() error {
	if o.json != nil {
		return o.json.close()
	}
	return o.table.flush()
}

// progress shows how far a listing has come on standard error, on one line
// that it rewrites.
type progress struct {
	w     io.Writer
	on    bool
	noun  string // what is counted, such as "pools"
	shown bool
}

// newProgress returns a progress that shows itself only when standard
// error is a terminal, and not while JSON streams to the same screen, where
// the rewritten line would overwrite the JSON.
func (a *app) newProgress(noun string) *progress {
	on := a.stderrTerminal && (!a.stdoutTerminal || a.format() != "json")
	return &progress{w: a.stderr, on: on, noun: noun}
}

// update shows the number of pages and items fetched so far.
func (p *progress) update(pages, items int) {
	if !p.on {
		return
	}
	fmt.Fprintf(p.w, "\r\x1b[Kfetched %d %s, %d %s", pages, plural(pages, "page", "pages"), items, p.noun)
	p.shown = true
}

// clear erases the progress line, before the result or an error.
func (p *progress) clear() {
	if p.shown {
		// The line is a hint on a terminal; a failed erase loses no output.
		_, _ = io.WriteString(p.w, "\r\x1b[K")
		p.shown = false
	}
}

func plural(n int, singular, pluralForm string) string {
	if n == 1 {
		return singular
	}
	return pluralForm
}
