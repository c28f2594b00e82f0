// Package agentpools contains the OpenAPI document of Okta's Agent Pools API,
// from which this module's models and low-level client are generated.
//
// The packages of the module, from the bottom up:
//
//   - api: the models and low-level client generated from OpenAPI, with
//     enum parsing, job lifecycle predicates and cron schedules;
//   - pager: RFC 8288 Link-header parsing and cursor iteration;
//   - auth: API token and OAuth 2.0 service-app credentials, DPoP included;
//   - client: the typed client that callers use, with typed errors,
//     retries and rate-limit pacing;
//   - oktatest: a fake Okta org for tests, which validates every request
//     and response against OpenAPI;
//   - cmd/agentpools: a command for admins and scripts.
//
// Regenerate the api package with "go generate ./..." after changing
// openapi.yaml; the Makefile's check-generated target fails when the
// committed code is stale.
package agentpools
