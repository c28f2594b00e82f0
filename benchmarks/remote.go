package benchmarks

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"time"
)

// ServeEnv is the environment variable that makes a benchmark binary serve
// the fixtures (ServeFixtures) instead of running benchmarks.
const ServeEnv = "AGENTPOOLS_BENCH_SERVE"

// Page sizes, in pools, of the listAgentPools benchmarks.
var PoolCounts = []int{1, 20, 200}

// UpdateCount is the number of updates that listAgentPoolsUpdates returns.
const UpdateCount = 5

// Paged listing of the iteration benchmark: PagedTotal pools in pages of
// PagedPerPage.
const (
	PagedTotal   = 10_000
	PagedPerPage = 50
)

// FixtureName returns the name of the server that serves pools pools per
// page, with lastConnection written in form.
func FixtureName(pools int, form TimeForm) string {
	if form == RFC3339 {
		return fmt.Sprintf("pools=%d/rfc3339", pools)
	}
	return fmt.Sprintf("pools=%d/millis", pools)
}

// PagedName is the name of the server of the paged listing.
const PagedName = "paged"

// ServeFixtures starts one loopback server per fixture, writes a JSON object
// of fixture names to base URLs as one line to out, and serves until in
// reaches EOF.
func ServeFixtures(in io.Reader, out io.Writer) error {
	urls := make(map[string]string)
	var servers []*httptest.Server
	defer func() {
		for _, s := range servers {
			s.Close()
		}
	}()

	start := func(name string, handler *Server) {
		s := httptest.NewServer(handler)
		servers = append(servers, s)
		urls[name] = s.URL
	}
	for _, form := range []TimeForm{Millis, RFC3339} {
		updates := UpdatesList(UpdateCount, form)
		activated := ActivatedUpdate(form)
		for _, n := range PoolCounts {
			start(FixtureName(n, form), &Server{Pools: PoolsPage(0, n, form), Updates: updates, Activated: activated})
		}
	}
	start(PagedName, &Server{Pages: NewPages(PagedTotal, PagedPerPage, Millis)})

	line, err := json.Marshal(urls)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(out, "%s\n", line); err != nil {
		return err
	}

	_, err = io.Copy(io.Discard, in)
	return err
}

// Remote is a child process that runs ServeFixtures, so that the servers'
// allocations and garbage collection stay out of the benchmark's process
// and its B/op and allocs/op count the client alone.
type Remote struct {
	// URLs maps fixture names (FixtureName, PagedName) to base URLs.
	URLs map[string]string

	cmd   *exec.Cmd
	stdin io.WriteCloser
}

// StartRemote runs the current executable with ServeEnv set, which must
// make it call ServeFixtures, and waits for the servers' URLs.
func StartRemote() (*Remote, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("benchmarks: finding the test binary: %w", err)
	}

	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), ServeEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("benchmarks: starting the fixture server: %w", err)
	}

	r := &Remote{cmd: cmd, stdin: stdin}
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err == nil {
		err = json.Unmarshal(line, &r.URLs)
	}
	if err != nil {
		_ = r.Close()
		return nil, fmt.Errorf("benchmarks: reading the fixture server's URLs: %w", err)
	}
	return r, nil
}

// Close ends the child process: it closes its standard input, and kills it
// when it has not exited 5 seconds later.
func (r *Remote) Close() error {
	_ = r.stdin.Close()

	done := make(chan error, 1)
	go func() { done <- r.cmd.Wait() }()
	timer := time.NewTimer(5 * time.Second)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		_ = r.cmd.Process.Kill()
		return errors.Join(errors.New("benchmarks: the fixture server did not exit; killed it"), <-done)
	}
}
