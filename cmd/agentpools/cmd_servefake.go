package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-jose/go-jose/v4"

	"github.com/seed570a29ac/agentpools/auth"
	"github.com/seed570a29ac/agentpools/oktatest"
)

var serveFakeCommand = &command{
	path:     "serve-fake",
	synopsis: "[--addr 127.0.0.1:8080] [--verbose]",
	summary:  "run a fake Okta org with sample data on a loopback address until interrupted",
	about: `
The fake org serves the Agent Pools API and an OAuth 2.0 token endpoint over
plain HTTP, without TLS, so it listens only on a loopback address: 127.0.0.1,
::1 or localhost. It prints its URL, the API token it accepts, an OAuth 2.0
client ID with the path of its private key file, and the environment lines
that point agentpools, or any program using Okta's environment variables, at
it: paste them into another shell. The key file is written with mode 0600 to
a new temporary directory, which is removed when the fake stops. The fake
serves until it receives SIGINT (Ctrl-C) or SIGTERM, then stops cleanly and
exits with status 0. Its data lives in memory only.`,
	example: `agentpools serve-fake --addr 127.0.0.1:8080
agentpools serve-fake --addr 127.0.0.1:0 --verbose`,
	setup: setupServeFake,
}

func setupServeFake(fs *flag.FlagSet) runFunc {
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT`, a loopback address; port 0 picks a free port")
	verbose := fs.Bool("verbose", false, "log every request on standard error")

	return func(ctx context.Context, a *app, _ []string) error {
		if err := checkLoopbackAddr(*addr); err != nil {
			return err
		}
		return a.serveFake(ctx, *addr, *verbose)
	}
}

// checkLoopbackAddr returns a *usageError unless addr is HOST:PORT with a
// loopback host.
func checkLoopbackAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("serve-fake", "invalid --addr %q: use HOST:PORT, such as 127.0.0.1:8080", addr)
	}

	ip := net.ParseIP(host)
	loopback := strings.EqualFold(host, "localhost") || (ip != nil && ip.IsLoopback())
	if !loopback {
		return usagef("serve-fake", "--addr %q is not a loopback address: the fake org serves plain HTTP without TLS and prints its credentials, so it listens only on 127.0.0.1, ::1 or localhost", addr)
	}
	return nil
}

// fakeClient is the OAuth 2.0 client that serve-fake registers.
type fakeClient struct {
	id      string
	keyID   string
	keyPath string
}

func (a *app) serveFake(ctx context.Context, addr string, verbose bool) error {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: level}))
	srv := oktatest.NewUnstartedServer(oktatest.WithSampleData(), oktatest.WithLogger(logger))
	defer srv.Close()

	dir, err := os.MkdirTemp("", "agentpools-fake-")
	if err != nil {
		return fmt.Errorf("serve-fake: creating the directory of the client key failed: %w", err)
	}
	defer os.RemoveAll(dir)

	oauthClient, err := registerFakeClient(srv, dir)
	if err != nil {
		return err
	}

	if err := srv.StartOn(addr); err != nil {
		return fmt.Errorf("serve-fake: %w", err)
	}
	if err := printFakeOrg(a.stdout, srv, oauthClient); err != nil {
		return err
	}

	<-ctx.Done()
	logger.Info("agentpools: stopping the fake Okta org", "url", srv.URL, "reason", context.Cause(ctx))
	return nil
}

// registerFakeClient generates a key pair, writes its private key to dir
// with mode 0600, and registers a private_key_jwt client with the public
// key and both Agent Pools scopes.
func registerFakeClient(srv *oktatest.Server, dir string) (fakeClient, error) {
	key, err := oktatest.GenerateClientKey()
	if err != nil {
		return fakeClient{}, fmt.Errorf("serve-fake: %w", err)
	}

	keyPath := filepath.Join(dir, "client-key.pem")
	if err := os.WriteFile(keyPath, key.PEM, 0o600); err != nil {
		return fakeClient{}, fmt.Errorf("serve-fake: writing the client key failed: %w", err)
	}

	// An Okta client ID is typically 20 characters starting with "0oa".
	clientID := "0oa" + strings.ToLower(rand.Text()[:17])
	err = srv.RegisterClient(oktatest.OAuthClient{
		ClientID: clientID,
		Keys:     []jose.JSONWebKey{key.PublicJWK},
		Scopes:   []string{auth.ScopeRead, auth.ScopeManage},
	})
	if err != nil {
		return fakeClient{}, fmt.Errorf("serve-fake: %w", err)
	}
	return fakeClient{id: clientID, keyID: key.PublicJWK.KeyID, keyPath: keyPath}, nil
}

// printFakeOrg prints how to reach the fake org, with the environment
// lines for both kinds of credentials.
func printFakeOrg(w io.Writer, srv *oktatest.Server, c fakeClient) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Fake Okta org with sample data at %s\n", srv.URL)
	b.WriteString("It serves plain HTTP without TLS, so it listens on a loopback address only.\n\n")
	fmt.Fprintf(&b, "API token:          %s\n", srv.APIToken())
	fmt.Fprintf(&b, "OAuth 2.0 client:   %s (private_key_jwt, scopes %s %s)\n", c.id, auth.ScopeRead, auth.ScopeManage)
	fmt.Fprintf(&b, "Private key file:   %s (key ID %s; deleted when the fake stops)\n", c.keyPath, c.keyID)

	b.WriteString("\nTo use the API token:\n")
	writeExport(&b, envOrgURL, srv.URL)
	writeExport(&b, envAuthorizationMode, modeSSWS)
	writeExport(&b, envToken, srv.APIToken())

	b.WriteString("\nTo use OAuth 2.0 with a private key:\n")
	writeExport(&b, envOrgURL, srv.URL)
	writeExport(&b, envAuthorizationMode, modePrivateKey)
	writeExport(&b, envClientID, c.id)
	writeExport(&b, envPrivateKey, c.keyPath)
	writeExport(&b, envPrivateKeyID, c.keyID)
	writeExport(&b, envScopes, auth.ScopeRead+" "+auth.ScopeManage)

	b.WriteString("\nServing until interrupted (Ctrl-C).\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeExport writes a POSIX shell line that exports name=value.
func writeExport(b *strings.Builder, name, value string) {
	fmt.Fprintf(b, "export %s=%s\n", name, shellQuote(value))
}

// shellQuote returns value as one POSIX shell word: as it is when it holds
// only characters that need no quoting, else in single quotes.
func shellQuote(value string) string {
	if value != "" && !strings.ContainsFunc(value, needsShellQuote) {
		return value
	}
	return "'" + strings.ReplaceAll(value, "'", `'\''`) + "'"
}

// needsShellQuote reports whether r is outside the letters, digits and
// punctuation that a POSIX shell word may hold unquoted.
func needsShellQuote(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return false
	}
	return !strings.ContainsRune("-_./:@%+=,", r)
}
