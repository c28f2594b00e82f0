package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// stdinName names standard input in messages about a --body of "-".
const stdinName = "<stdin>"

// maxBodyBytes bounds the size of a --body. It equals the request body limit
// of the fake org that serve-fake runs; an update object is typically a
// few kilobytes.
const maxBodyBytes = 1 << 20

// maxBodyText states maxBodyBytes in help and messages.
const maxBodyText = "1 MiB"

// bodyFlagUsage is the help text of --body, where noun is what the body is.
func bodyFlagUsage(noun string) string {
	return "read the " + noun + " from the JSON file `FILE`, or from standard input when -; at most " + maxBodyText
}

// readBody reads the JSON object of --body from the file path, or from
// standard input when path is "-", and decodes it into v, an api model
// that keeps unknown members. A missing file, a body larger than
// maxBodyBytes or invalid JSON is a *usageError of command cmdPath that
// names the file, and for invalid JSON the position. Cancelling ctx stops
// the wait for input and returns an *interruptedError.
func (a *app) readBody(ctx context.Context, cmdPath, path string, v any) error {
	if path == "" {
		return usagef(cmdPath, "missing --body; pass a JSON file, or - to read standard input")
	}

	name := path
	read := func() ([]byte, error) { return readFileLimited(path) }
	if path == "-" {
		name = stdinName
		read = func() ([]byte, error) { return io.ReadAll(io.LimitReader(a.stdin, maxBodyBytes+1)) }
	}
	data, err := readContext(ctx, read)
	if errors.Is(err, errInterrupted) {
		return &interruptedError{step: "reading --body from " + name, err: context.Cause(ctx)}
	}
	if err != nil {
		return usagef(cmdPath, "--body: reading %s failed: %v", name, unwrapPathError(err))
	}
	if len(data) > maxBodyBytes {
		return usagef(cmdPath, "--body: %s is larger than the limit of %s (%d bytes); send a smaller body", name, maxBodyText, maxBodyBytes)
	}

	if err := decodeBody(data, v); err != nil {
		return usagef(cmdPath, "--body: %s%v", name, err)
	}
	return nil
}

// readFileLimited reads the file at path, up to one byte more than
// maxBodyBytes so that the caller can tell a body that is too large.
func readFileLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxBodyBytes+1))
}

// errInterrupted is the error of readContext when ctx is done first.
var errInterrupted = errors.New("interrupted")

// readContext calls read in a goroutine and returns its result, or
// errInterrupted as soon as ctx is done. A Read of an io.Reader cannot be
// cancelled, so after errInterrupted the goroutine stays blocked until read
// returns, and the command exits without waiting for it.
func readContext(ctx context.Context, read func() ([]byte, error)) ([]byte, error) {
	if ctx.Err() != nil {
		return nil, errInterrupted
	}

	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, err := read()
		done <- result{data, err}
	}()

	select {
	case r := <-done:
		return r.data, r.err
	case <-ctx.Done():
		return nil, errInterrupted
	}
}

// interruptedError is a step of the command stopped because its context
// was cancelled, as SIGINT and SIGTERM do. The command reports it as
// "interrupted while STEP" and exits with status 1.
type interruptedError struct {
	step string // such as "reading --body from <stdin>"
	err  error  // the cause of the cancellation
}

func (e *interruptedError) Error() string { return "interrupted while " + e.step }

func (e *interruptedError) Unwrap() error { return e.err }

// bodyError is a problem in a request body, at a 1-based line and column
// counted in bytes, or at no position when line is 0.
type bodyError struct {
	line, column int
	msg          string
}

// Error returns the message after a file name: ":3:14: invalid JSON: ..."
// or ": the body is empty ...".
func (e *bodyError) Error() string {
	if e.line == 0 {
		return ": " + e.msg
	}
	return fmt.Sprintf(":%d:%d: %s", e.line, e.column, e.msg)
}

func newBodyError(data []byte, offset int, format string, args ...any) *bodyError {
	line, column := position(data, offset)
	return &bodyError{line: line, column: column, msg: fmt.Sprintf(format, args...)}
}

// unwrapPathError drops the path that *os.PathError repeats, because the
// message names the file already.
func unwrapPathError(err error) error {
	if pathErr, ok := errors.AsType[*os.PathError](err); ok {
		return pathErr.Err
	}
	return err
}

// decodeBody decodes the JSON object data into v, an api model. Its error
// is a *bodyError.
func decodeBody(data []byte, v any) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return &bodyError{msg: "the body is empty; it must be a JSON object"}
	}
	// Offsets in the errors of the api models count from the start of the
	// value, after the white space before it.
	start := len(data) - len(bytes.TrimLeft(data, " \t\r\n"))

	err := json.Unmarshal(data, v)
	if syntaxErr, ok := errors.AsType[*json.SyntaxError](err); ok {
		// Offset counts the bytes read up to and including the bad one.
		return newBodyError(data, int(syntaxErr.Offset)-1, "invalid JSON: %v", syntaxErr)
	}
	if trimmed[0] != '{' {
		return newBodyError(data, start, "the body must be a JSON object, not %s", jsonKind(trimmed[0]))
	}
	if syntaxErr, ok := errors.AsType[*jsontext.SyntacticError](err); ok {
		return newBodyError(data, start+int(syntaxErr.ByteOffset), "invalid JSON: %v", syntaxErr.Err)
	}
	if semanticErr, ok := errors.AsType[*jsonv2.SemanticError](err); ok {
		return newBodyError(data, start+int(semanticErr.ByteOffset), "invalid value of member %q: got a JSON %s, expected %s",
			string(semanticErr.JSONPointer), kindName(semanticErr.JSONKind), jsonTypeOf(semanticErr.GoType))
	}
	if err != nil {
		return &bodyError{msg: "invalid body: " + err.Error()}
	}
	return nil
}

// position returns the 1-based line and column, counted in bytes, of the
// byte at offset in data.
func position(data []byte, offset int) (line, column int) {
	offset = max(0, min(offset, len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	column = offset - bytes.LastIndexByte(before, '\n')
	return line, column
}

// jsonKind names the kind of the JSON value that starts with the byte c.
func jsonKind(c byte) string {
	switch c {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

// kindName names a JSON kind without an article, such as "string".
func kindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "string"
	case '0':
		return "number"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case '{':
		return "object"
	case '[':
		return "array"
	default:
		return "value"
	}
}

// jsonTypeOf names the JSON type that decodes into the Go type t.
func jsonTypeOf(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return jsonTypeOf(t.Elem())
	default:
		return "another type"
	}
}
