package api

// The predicates below follow Okta's API reference for the agent pool
// update operations. They are guidance for a client, such as which buttons
// to offer: the server decides whether an operation is allowed and may
// reject one that a predicate allows, or accept one that it does not. Each
// predicate returns false for a status that this package does not know.

// IsFinished reports whether a job in status s has ended and will not
// change without an operation: Success, Failed or Cancelled. It returns
// false for an unknown status, so a caller that waits for the end of a job
// keeps waiting on a status Okta added later. Bound such a wait with a
// context.
func (s AgentUpdateJobStatus) IsFinished() bool {
	switch s {
	case AgentUpdateJobStatusSuccess, AgentUpdateJobStatusFailed, AgentUpdateJobStatusCancelled:
		return true
	default:
		return false
	}
}

// IsRunning reports whether agents are being updated: InProgress.
func (s AgentUpdateJobStatus) IsRunning() bool {
	return s == AgentUpdateJobStatusInProgress
}

// CanActivate reports whether Okta documents activation for a job in status
// s. The reference describes it as activating a scheduled update, so
// CanActivate returns true for Scheduled only.
//
// NOTE: Okta does not document the status of a deactivated scheduled
// update. If the server reports it as something other than Scheduled,
// CanActivate returns false although activation is what it needs.
func (s AgentUpdateJobStatus) CanActivate() bool {
	return s == AgentUpdateJobStatusScheduled
}

// CanDeactivate reports whether Okta documents deactivation for a job in
// status s. The reference describes it as deactivating a scheduled update,
// so CanDeactivate returns true for Scheduled only.
func (s AgentUpdateJobStatus) CanDeactivate() bool {
	return s == AgentUpdateJobStatusScheduled
}

// CanPause reports whether Okta documents pausing a job in status s. The
// reference describes it as pausing a running or queued update, so
// CanPause returns true for InProgress and Scheduled.
func (s AgentUpdateJobStatus) CanPause() bool {
	return s == AgentUpdateJobStatusInProgress || s == AgentUpdateJobStatusScheduled
}

// CanResume reports whether a job in status s can be resumed: Paused.
//
// NOTE: Okta's reference describes resume with the same words as pause,
// "a running or queued agent pool update". This package reads that as a
// copy of the pause text, because only a paused job has anything to
// resume.
func (s AgentUpdateJobStatus) CanResume() bool {
	return s == AgentUpdateJobStatusPaused
}

// CanRetry reports whether Okta documents retrying a job in status s:
// Failed. The reference offers retry when "the update is unsuccessful or
// communication with Okta was interrupted during an agent auto-update".
// This package reads an unsuccessful update as Failed. Okta does not say
// which status a job has after the communication was interrupted, so
// CanRetry assumes Failed for it too. A job that an admin stopped
// (Cancelled) is not read as interrupted, so CanRetry returns false for
// Cancelled.
func (s AgentUpdateJobStatus) CanRetry() bool {
	return s == AgentUpdateJobStatusFailed
}

// CanStop reports whether a job in status s can be stopped: any job that
// has not finished, that is Scheduled, InProgress or Paused. The reference
// does not restrict stop to a status.
func (s AgentUpdateJobStatus) CanStop() bool {
	switch s {
	case AgentUpdateJobStatusScheduled, AgentUpdateJobStatusInProgress, AgentUpdateJobStatusPaused:
		return true
	default:
		return false
	}
}

// StatusValue returns the status of the update job, or "" when Status is
// nil. An empty status is unknown to every predicate, so IsFinished
// returns false for it.
func (u AgentPoolUpdate) StatusValue() AgentUpdateJobStatus {
	if u.Status == nil {
		return ""
	}
	return *u.Status
}
