// Package benchmarks compares the cost of Agent Pools API calls made with
// this module's client against a minimal hand-written client (the floor)
// and against Okta's official Go SDK, on loopback servers that serve
// pre-encoded, Okta-shaped responses.
//
// It is a separate module so that the library never depends on the SDK.
// The non-test files hold the fixtures, the servers and the floor client;
// the benchmarks are in the test files. docs/benchmarks.md in the
// repository records a run and what it shows. Run it from the repository
// root with:
//
//	make bench
package benchmarks
