package api

import (
	"fmt"
	"slices"
	"strings"
)

// The known values of each enum, in the order of Okta's API reference.
var (
	agentTypes                  = []AgentType{AD, IWA, LDAP, MFA, OPP, RUM, Radius}
	releaseChannels             = []ReleaseChannel{BETA, EA, GA, TEST}
	operationalStatuses         = []OperationalStatus{DEGRADED, DISRUPTED, INACTIVE, OPERATIONAL}
	agentUpdateJobStatuses      = []AgentUpdateJobStatus{AgentUpdateJobStatusCancelled, AgentUpdateJobStatusFailed, AgentUpdateJobStatusInProgress, AgentUpdateJobStatusPaused, AgentUpdateJobStatusScheduled, AgentUpdateJobStatusSuccess}
	agentUpdateInstanceStatuses = []AgentUpdateInstanceStatus{AgentUpdateInstanceStatusCancelled, AgentUpdateInstanceStatusFailed, AgentUpdateInstanceStatusInProgress, AgentUpdateInstanceStatusPendingCompletion, AgentUpdateInstanceStatusScheduled, AgentUpdateInstanceStatusSuccess}
)

// parseEnum returns the value of known that s spells, ignoring letter case
// as strings.EqualFold does and surrounding white space. kind names the
// enum in the error, such as "agent type".
func parseEnum[T ~string](kind string, known []T, s string) (T, error) {
	trimmed := strings.TrimSpace(s)
	for _, v := range known {
		if strings.EqualFold(string(v), trimmed) {
			return v, nil
		}
	}

	names := make([]string, len(known))
	for i, v := range known {
		names[i] = string(v)
	}
	return "", fmt.Errorf("api: invalid %s %q: want one of %s", kind, s, strings.Join(names, ", "))
}

// AgentTypes returns the agent types that Okta documents, in a fixed order,
// as a new slice on each call. The generated Valid method reports whether a
// value is one of them. Valid returns false, not an error, for a type that
// Okta added after this version of the package.
func AgentTypes() []AgentType { return slices.Clone(agentTypes) }

// ParseAgentType returns the agent type that s spells, in any letter case
// and with surrounding white space removed, in its canonical spelling:
// "radius" gives Radius. It is meant for user input such as flags and
// configuration files, and returns an error that lists the valid values
// for anything else.
func ParseAgentType(s string) (AgentType, error) {
	return parseEnum("agent type", agentTypes, s)
}

// String returns the agent type as sent or set.
func (e AgentType) String() string { return string(e) }

// MarshalText returns the agent type as it is, known or not.
func (e AgentType) MarshalText() ([]byte, error) { return []byte(e), nil }

// UnmarshalText stores text as it is, without changing the case or
// rejecting an unknown value, so that a value from the server survives a
// round trip. Use ParseAgentType to check user input, and
// flag.Var rather than flag.TextVar for a flag that rejects unknown values.
func (e *AgentType) UnmarshalText(text []byte) error {
	*e = AgentType(text)
	return nil
}

// Set stores the agent type that s spells, as ParseAgentType reads it, so
// that *AgentType is a flag.Value that rejects unknown types. On error the
// value is unchanged.
func (e *AgentType) Set(s string) error {
	v, err := ParseAgentType(s)
	if err != nil {
		return err
	}
	*e = v
	return nil
}

// ReleaseChannels returns the release channels that Okta documents, in a
// fixed order, as a new slice on each call. The generated Valid method
// reports whether a value is one of them. Valid returns false, not an
// error, for a channel that Okta added after this version of the package.
func ReleaseChannels() []ReleaseChannel { return slices.Clone(releaseChannels) }

// ParseReleaseChannel returns the release channel that s spells, in any
// letter case and with surrounding white space removed, in its canonical
// spelling: "ga" gives GA. It is meant for user input, and returns an
// error that lists the valid values for anything else.
func ParseReleaseChannel(s string) (ReleaseChannel, error) {
	return parseEnum("release channel", releaseChannels, s)
}

// String returns the release channel as sent or set.
func (e ReleaseChannel) String() string { return string(e) }

// MarshalText returns the release channel as it is, known or not.
func (e ReleaseChannel) MarshalText() ([]byte, error) { return []byte(e), nil }

// UnmarshalText stores text as it is, without changing the case or
// rejecting an unknown value, so that a value from the server survives a
// round trip. Use ParseReleaseChannel to check user input, and
// flag.Var rather than flag.TextVar for a flag that rejects unknown values.
func (e *ReleaseChannel) UnmarshalText(text []byte) error {
	*e = ReleaseChannel(text)
	return nil
}

// Set stores the release channel that s spells, as ParseReleaseChannel
// reads it, so that *ReleaseChannel is a flag.Value that rejects unknown
// channels. On error the value is unchanged.
func (e *ReleaseChannel) Set(s string) error {
	v, err := ParseReleaseChannel(s)
	if err != nil {
		return err
	}
	*e = v
	return nil
}

// OperationalStatuses returns the operational statuses that Okta documents,
// in a fixed order, as a new slice on each call. The generated Valid method
// reports whether a value is one of them. Valid returns false, not an
// error, for a status that Okta added after this version of the package.
func OperationalStatuses() []OperationalStatus { return slices.Clone(operationalStatuses) }

// ParseOperationalStatus returns the operational status that s spells, in
// any letter case and with surrounding white space removed, in its
// canonical spelling: "degraded" gives DEGRADED. It is meant for user
// input, and returns an error that lists the valid values for anything
// else.
func ParseOperationalStatus(s string) (OperationalStatus, error) {
	return parseEnum("operational status", operationalStatuses, s)
}

// String returns the operational status as sent or set.
func (e OperationalStatus) String() string { return string(e) }

// MarshalText returns the operational status as it is, known or not.
func (e OperationalStatus) MarshalText() ([]byte, error) { return []byte(e), nil }

// UnmarshalText stores text as it is, without changing the case or
// rejecting an unknown value, so that a value from the server survives a
// round trip. Use ParseOperationalStatus to check user input, and
// flag.Var rather than flag.TextVar for a flag that rejects unknown values.
func (e *OperationalStatus) UnmarshalText(text []byte) error {
	*e = OperationalStatus(text)
	return nil
}

// Set stores the operational status that s spells, as
// ParseOperationalStatus reads it, so that *OperationalStatus is a
// flag.Value that rejects unknown statuses. On error the value is
// unchanged.
func (e *OperationalStatus) Set(s string) error {
	v, err := ParseOperationalStatus(s)
	if err != nil {
		return err
	}
	*e = v
	return nil
}

// AgentUpdateJobStatuses returns the update job statuses that Okta
// documents, in a fixed order, as a new slice on each call. The generated
// Valid method reports whether a value is one of them. Valid returns false,
// not an error, for a status that Okta added after this version of the
// package.
func AgentUpdateJobStatuses() []AgentUpdateJobStatus { return slices.Clone(agentUpdateJobStatuses) }

// ParseAgentUpdateJobStatus returns the update job status that s spells,
// in any letter case and with surrounding white space removed, in its
// canonical spelling: "inprogress" gives InProgress. It is meant for user
// input, and returns an error that lists the valid values for anything
// else.
func ParseAgentUpdateJobStatus(s string) (AgentUpdateJobStatus, error) {
	return parseEnum("update job status", agentUpdateJobStatuses, s)
}

// String returns the update job status as sent or set.
func (e AgentUpdateJobStatus) String() string { return string(e) }

// MarshalText returns the update job status as it is, known or not.
func (e AgentUpdateJobStatus) MarshalText() ([]byte, error) { return []byte(e), nil }

// UnmarshalText stores text as it is, without changing the case or
// rejecting an unknown value, so that a value from the server survives a
// round trip. Use ParseAgentUpdateJobStatus to check user input, and
// flag.Var rather than flag.TextVar for a flag that rejects unknown values.
func (e *AgentUpdateJobStatus) UnmarshalText(text []byte) error {
	*e = AgentUpdateJobStatus(text)
	return nil
}

// Set stores the update job status that s spells, as
// ParseAgentUpdateJobStatus reads it, so that *AgentUpdateJobStatus is a
// flag.Value that rejects unknown statuses. On error the value is
// unchanged.
func (e *AgentUpdateJobStatus) Set(s string) error {
	v, err := ParseAgentUpdateJobStatus(s)
	if err != nil {
		return err
	}
	*e = v
	return nil
}

// AgentUpdateInstanceStatuses returns the statuses of the update of one
// agent that Okta documents, in a fixed order, as a new slice on each call.
// The generated Valid method reports whether a value is one of them. Valid
// returns false, not an error, for a status that Okta added after this
// version of the package.
func AgentUpdateInstanceStatuses() []AgentUpdateInstanceStatus {
	return slices.Clone(agentUpdateInstanceStatuses)
}

// ParseAgentUpdateInstanceStatus returns the update instance status that
// s spells, in any letter case and with surrounding white space removed,
// in its canonical spelling: "pendingcompletion" gives PendingCompletion.
// It is meant for user input, and returns an error that lists the valid
// values for anything else.
func ParseAgentUpdateInstanceStatus(s string) (AgentUpdateInstanceStatus, error) {
	return parseEnum("update instance status", agentUpdateInstanceStatuses, s)
}

// String returns the update instance status as sent or set.
func (e AgentUpdateInstanceStatus) String() string { return string(e) }

// MarshalText returns the update instance status as it is, known or not.
func (e AgentUpdateInstanceStatus) MarshalText() ([]byte, error) { return []byte(e), nil }

// UnmarshalText stores text as it is, without changing the case or
// rejecting an unknown value, so that a value from the server survives a
// round trip. Use ParseAgentUpdateInstanceStatus to check user input,
// and flag.Var rather than flag.TextVar for a flag that rejects unknown
// values.
func (e *AgentUpdateInstanceStatus) UnmarshalText(text []byte) error {
	*e = AgentUpdateInstanceStatus(text)
	return nil
}

// Set stores the update instance status that s spells, as
// ParseAgentUpdateInstanceStatus reads it, so that
// *AgentUpdateInstanceStatus is a flag.Value that rejects unknown
// statuses. On error the value is unchanged.
func (e *AgentUpdateInstanceStatus) Set(s string) error {
	v, err := ParseAgentUpdateInstanceStatus(s)
	if err != nil {
		return err
	}
	*e = v
	return nil
}
