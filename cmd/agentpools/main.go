// Command agentpools lists Okta directory agent pools and manages their
// auto-updates and update settings with the agentpools client library.
// It also runs a fake Okta org for trying the library without a real one.
//
// Run "agentpools --help" for the commands, their flags, the environment
// variables and the exit status.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
