package main

import (
	"flag"
	"fmt"
	"strings"
)

// environmentHelp describes the configuration that API commands read.
const environmentHelp = `Environment:
  OKTA_CLIENT_ORGURL             Okta org URL, such as https://example.okta.com
                                 (--org overrides it)
  OKTA_CLIENT_AUTHORIZATIONMODE  SSWS (default), PrivateKey or ClientSecret;
                                 case does not matter
  OKTA_CLIENT_TOKEN              API token, for SSWS
  OKTA_CLIENT_CLIENTID           OAuth 2.0 client ID, for PrivateKey and ClientSecret
  OKTA_CLIENT_CLIENTSECRET       client secret, for ClientSecret
  OKTA_CLIENT_PRIVATEKEY         private key for PrivateKey: PEM or a JWK (a JWK
                                 set with one key is accepted too), as text or as
                                 the path of a file
  OKTA_CLIENT_PRIVATEKEYID       key ID (kid) of the private key, if Okta has several;
                                 default: the kid of a JWK
  OKTA_CLIENT_SCOPES             scopes to request, separated by commas or spaces,
                                 for PrivateKey and ClientSecret (default
                                 okta.agentPools.read okta.agentPools.manage)
  OKTA_CLIENT_DPOP               true to bind access tokens to a key with DPoP

Secrets come only from the environment. There is no --token flag because the
arguments of a command can be read by every user of the machine (ps, /proc)
and are kept in shell history.
`

// exitHelp describes the exit statuses.
const exitHelp = `Exit status:
  0  success
  1  the API returned an error, the request or the output failed, or SIGINT
     or SIGTERM interrupted the command
  2  invalid command line, configuration or request body
`

// outputHelp describes --output.
const outputHelp = `Output:
  --output json prints what the API returned, unknown members and values
  included: one JSON array for a list, across every page, or one JSON object.
  A list is printed as its pages arrive, so on an error the array is left
  unterminated and the exit status is 1.
  --output table prints a table. The default is table when standard output is
  a terminal and json otherwise, so pipes and files get JSON.
`

// rootHelp returns the help of agentpools itself.
func rootHelp() string {
	var b strings.Builder
	b.WriteString(`agentpools lists Okta directory agent pools and manages their auto-updates.

Usage:
  agentpools [--org URL] [--output json|table] <group> <verb> [arguments]

Commands:
`)
	for _, g := range groups {
		if g.cmd != nil {
			fmt.Fprintf(&b, "  %s\n      %s\n", usageLine(g.cmd), g.cmd.summary)
			continue
		}

		lifecycleShown := false
		for _, c := range g.verbs {
			if !c.lifecycle {
				fmt.Fprintf(&b, "  %s\n      %s\n", usageLine(c), c.summary)
				continue
			}
			if !lifecycleShown {
				fmt.Fprintf(&b, "  updates %s %s\n      %s\n", strings.Join(lifecycleVerbs, "|"), strings.Join(c.args, " "), lifecycleSummary)
				lifecycleShown = true
			}
		}
	}

	b.WriteString(`
Global flags, accepted before the group or after the verb:
  --org URL              Okta org URL; overrides OKTA_CLIENT_ORGURL
  --output json|table    output format
  -h, --help             print help and exit

`)
	b.WriteString(outputHelp)
	b.WriteString("\n")
	b.WriteString(environmentHelp)
	b.WriteString("\n")
	b.WriteString(exitHelp)
	b.WriteString(`
Examples:
  agentpools demo
  agentpools serve-fake --addr 127.0.0.1:8080
  OKTA_CLIENT_ORGURL=https://example.okta.com OKTA_CLIENT_TOKEN=... agentpools pools list

Run "agentpools <group> --help" or "agentpools <group> <verb> --help" for the
flags of a command and an example.
`)
	return b.String()
}

// groupHelp returns the help of a group with verbs.
func groupHelp(g *group) string {
	var b strings.Builder
	fmt.Fprintf(&b, "agentpools %s: %s.\n\nUsage:\n", g.name, g.summary)
	for _, c := range g.verbs {
		fmt.Fprintf(&b, "  agentpools %s\n", usageLine(c))
	}

	b.WriteString("\nVerbs:\n")
	for _, c := range g.verbs {
		fmt.Fprintf(&b, "  %-12s %s\n", strings.TrimPrefix(c.path, g.name+" "), c.summary)
	}

	b.WriteString("\nExamples:\n")
	for _, c := range g.verbs {
		writeExample(&b, c.example)
	}

	fmt.Fprintf(&b, "\nRun \"agentpools %s <verb> --help\" for the flags of a verb.\n", g.name)
	return b.String()
}

// commandHelp returns the help of one command: usage, description, flags
// and example.
func commandHelp(c *command) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: agentpools %s\n\n%s.\n", usageLine(c), capitalize(c.summary))
	if c.about != "" {
		fmt.Fprintf(&b, "\n%s\n", strings.TrimSpace(c.about))
	}

	fs := newFlagSet(c)
	c.setup(fs)
	var flags strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(&flags, "  %s\n        %s", strings.TrimSpace("--"+f.Name+" "+name), usage)
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" {
			fmt.Fprintf(&flags, " (default %s)", f.DefValue)
		}
		flags.WriteString("\n")
	})
	if flags.Len() > 0 {
		b.WriteString("\nFlags:\n")
		b.WriteString(flags.String())
	}

	b.WriteString("\nGlobal flags: --org URL, --output json|table, -h/--help.\n")
	b.WriteString("\nExample:\n")
	writeExample(&b, c.example)
	return b.String()
}

func usageLine(c *command) string {
	parts := []string{c.path}
	parts = append(parts, c.args...)
	if c.synopsis != "" {
		parts = append(parts, c.synopsis)
	}
	return strings.Join(parts, " ")
}

func writeExample(b *strings.Builder, example string) {
	for line := range strings.Lines(strings.TrimSpace(example)) {
		fmt.Fprintf(b, "  %s", line)
	}
	b.WriteString("\n")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
