// Package api contains the models of Okta's Agent Pools API and a low-level
// client, both generated from the module's openapi.yaml by oapi-codegen, and
// hand-written helpers for the models.
//
// # Models
//
// Optional members are pointers, so that an absent member and a zero value
// stay apart. Every model keeps the members it has no field for, exactly as
// sent, in AdditionalProperties, and writes them back when encoded, so a
// model read from Okta and sent back unchanged loses nothing. Timestamp
// reads every form Okta sends for a time: Unix milliseconds, RFC 3339, an
// empty string and null. DecodeJSON and EncodeJSON are the fast paths that
// package client uses; json.Unmarshal and json.Marshal also work.
//
// NOTE: a member with a field of its own that Okta sends as null decodes as
// a nil pointer, like an absent member, and is left out when the model is
// encoded. Only Timestamp fields tell null from absent.
//
// # Enums
//
// The enum types keep any value the server sends, known or not. Valid
// reports whether a value is one that Okta documents, the Parse functions
// read user input in any letter case, and the list functions return the
// known values.
//
// # Lifecycle and schedules
//
// The methods of AgentUpdateJobStatus tell which lifecycle actions Okta's
// documentation describes for a job in that status. Cron builds and parses
// the two schedule forms that Okta accepts, and AutoUpdateSchedule.NextRuns
// computes run times in the schedule's time zone.
package api
